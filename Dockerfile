# One image, two entry commands (docker-entrypoint.sh):
#   docker run IMAGE                → the vote server (node dist/server/main.js), port 3000
#   docker run IMAGE relayer        → the execution relayer (node dist/relayer/main.js); GET /health, /metrics on 9464
# and two helpers:
#   docker run IMAGE migrate        → apply prisma/migrations to DATABASE_URL (Prisma's own `prisma migrate deploy` applies the same files)
#   docker run IMAGE cli status …   → the relayer's operator CLI (status, list, dry-run, retry, cancel-job, metrics)
# A development chain for docker-compose.yml (needs the devDependencies): docker build --target devchain -t govrelay-devchain .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# web/ is an npm workspace (the members' app): npm ci needs its package.json.
COPY web/package.json ./web/
COPY prisma ./prisma
COPY prisma.config.ts ./
# postinstall generates the Prisma client into server/generated (compiled into dist below).
RUN npm ci --no-audit --no-fund
COPY . .
# Compiles the Solidity contracts into build/contracts (read at run time by the signature verifier and
# the relayer), the TypeScript into dist/ and the members' app into web/dist (served at /).
RUN npm run build

# The dev chain: a hardhat 2 node on 0.0.0.0:8545 with Multicall3 and the DAO deployed (token, 7-day
# timelock, Governor; relayer = dev account 18, guardian = dev account 19), BTK minted to dev accounts
# 1–3 and the treasury, and a space "demo" created on the compose server once it answers
# (scripts/deploy.ts, scripts/dev-seed.ts), kept running.
FROM build AS devchain
ENV HARDHAT_DISABLE_TELEMETRY_PROMPT=true
EXPOSE 8545
CMD ["node", "--import", "tsx", "scripts/deploy.ts", "--host", "0.0.0.0", "--mint", "--demo-space", "demo", "--server", "http://server:3000"]

FROM build AS prod-deps
RUN npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 RELAYER_HTTP_PORT=9464
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/package.json ./package.json
COPY docker-entrypoint.sh /usr/local/bin/govrelay
USER node
EXPOSE 3000 9464
ENTRYPOINT ["govrelay"]
CMD ["server"]
