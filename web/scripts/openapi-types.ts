/**
 * Turns the server's OpenAPI document (what `app.swagger()` returns, also served at /docs/json) into
 * the TypeScript types of web/src/api/schema.d.ts. Shared by the generator script and by the test
 * that fails when the committed file is stale.
 */
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA_HEADER = [
  '/**',
  " * GENERATED from the server's OpenAPI document by `npm run api:types` (web/scripts/api-types.ts).",
  ' * Do not edit: change the route schemas in server/routes/ and regenerate.',
  ' * test/web-api-types.test.ts fails when this file is stale.',
  ' */',
  '',
].join('\n');

export async function apiTypesSource(document: unknown): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return SCHEMA_HEADER + astToString(ast);
}
