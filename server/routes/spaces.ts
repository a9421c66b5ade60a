import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { errorResponses, IdParams, Page, PageQuery } from './schemas.js';
import { decodeCursor, encodeCursor } from './serialize.js';
import { findSpace, listSpaceChanges, listSpaces } from '../../core/db/spaces.js';

const SpaceSchema = Type.Object({
  id: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  settings: Type.Unknown({ description: 'The space settings (see docs/api.md#space-settings).' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

const SpaceChangeSchema = Type.Object({
  messageId: Type.String(),
  actor: Type.String(),
  at: Type.String(),
  previous: Type.Unknown(),
  settings: Type.Unknown(),
});

type SpaceRow = { id: string; parentId: string | null; settings: unknown; createdAt: Date; updatedAt: Date };
const spaceJson = (s: SpaceRow) => ({
  id: s.id,
  parentId: s.parentId,
  settings: s.settings,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

const spaceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/spaces',
    {
      schema: {
        tags: ['spaces'],
        summary: 'List spaces',
        querystring: Type.Object({ parent: Type.Optional(Type.String()), ...PageQuery }),
        response: { 200: Page(SpaceSchema), 400: errorResponses[400] },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const after = decodeCursor(request.query.cursor)?.[0];
      const rows = await listSpaces(app.db.pool, { parentId: request.query.parent, after: after ? String(after) : undefined, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return { items: page.map(spaceJson), nextCursor: rows.length > limit ? encodeCursor([page.at(-1)!.id]) : null };
    },
  );

  app.get(
    '/api/spaces/:id',
    {
      schema: { tags: ['spaces'], summary: 'One space with its current settings', params: IdParams, response: { 200: SpaceSchema, 404: errorResponses[404] } },
    },
    async (request) => {
      const space = await findSpace(app.db.pool, request.params.id);
      if (!space) throw new NotFoundError('SPACE_NOT_FOUND', `space ${request.params.id} does not exist`);
      return spaceJson(space);
    },
  );

  app.get(
    '/api/spaces/:id/history',
    {
      schema: {
        tags: ['spaces'],
        summary: 'Every settings change of a space: who, when, before and after',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(SpaceChangeSchema) }), 404: errorResponses[404] },
      },
    },
    async (request) => {
      const changes = await listSpaceChanges(app.db.pool, request.params.id);
      if (changes.length === 0) throw new NotFoundError('SPACE_NOT_FOUND', `space ${request.params.id} does not exist`);
      return { items: changes.map((c) => ({ messageId: c.messageId, actor: c.actor, at: c.at.toISOString(), previous: c.previous, settings: c.settings })) };
    },
  );
};

export default spaceRoutes;
