/**
 * POST /api/spaces/settings/validate: the dry run of a Space message's settings, with the very parser
 * the server applies to a signed one (server/spaces/settings.ts), so the settings form shows the
 * server's own problems before an admin signs, and the browser holds no copy of the schema. It checks
 * the settings alone (schema, strategies, ABIs, chain id); who may sign them is checked on the signed
 * message (NOT_ADMIN, NOT_PARENT_ADMIN, PARENT_NOT_FOUND).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.js';
import { parseSpaceSettings } from '../spaces/settings.js';
import { errorResponses } from './schemas.js';

const spaceSettingsCheckRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/spaces/settings/validate',
    {
      schema: {
        tags: ['spaces'],
        summary: 'Validate space settings without signing or storing anything: valid (with the settings as the server would store them) or every problem',
        body: Type.Object(
          { settings: Type.String({ maxLength: 200_000, description: 'the settings JSON exactly as it would go in the Space message' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            problems: Type.Array(Type.String(), { description: '"/path: problem" strings; empty when valid' }),
            settings: Type.Union([Type.Unknown(), Type.Null()], { description: 'with defaults applied and addresses lowercased; null when invalid' }),
          }),
          400: errorResponses[400],
        },
      },
    },
    async (request) => {
      try {
        return { valid: true, problems: [], settings: parseSpaceSettings(request.body.settings, app.chain.chainId) };
      } catch (error) {
        if (error instanceof AppError && error.code === 'INVALID_SETTINGS') {
          const problems = Array.isArray(error.details?.problems) ? (error.details.problems as string[]) : [error.message];
          return { valid: false, problems, settings: null };
        }
        throw error;
      }
    },
  );
};

export default spaceSettingsCheckRoutes;
