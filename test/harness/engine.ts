/**
 * The major version of the n8n engine the tests run on: the project's 2.x, or 1 under
 * `npm run test:engine1x` (jest.config.js maps n8n-core and n8n-workflow there together).
 */
export const ENGINE_MAJOR = Number(
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	(require('n8n-workflow/package.json') as { version: string }).version.split('.')[0],
);
