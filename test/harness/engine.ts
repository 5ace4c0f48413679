import fs from 'fs';
import path from 'path';

/**
 * The version of the n8n-workflow the tests run on: the project's 2.x, or the last 1.x's under
 * `npm run test:engine1x` (jest.config.js maps the module there).
 */
function engineVersion(): string {
	let dir = path.dirname(require.resolve('n8n-workflow'));
	while (!fs.existsSync(path.join(dir, 'package.json')) || !dir.endsWith('n8n-workflow')) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error('n8n-workflow has no package.json above its main file');
		dir = parent;
	}
	return (
		JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
	).version;
}

export const ENGINE_VERSION = engineVersion();
export const ENGINE_MAJOR = Number(ENGINE_VERSION.split('.')[0]);
