# One image, two entry commands:
#   docker run IMAGE            → the vote server (node dist/server/main.js)
#   docker run IMAGE relayer    → the execution relayer (node dist/relayer/main.js)
# Migrations: `docker run IMAGE migrate` (Prisma's own `prisma migrate deploy` applies the same files).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/build ./build
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/package.json ./package.json
COPY docker-entrypoint.sh /usr/local/bin/govrelay
USER node
EXPOSE 3000
ENTRYPOINT ["govrelay"]
CMD ["server"]
