const path = require('path');

// METACHAT_ENGINE_DIR (set by test/engine1x.js): n8n-core and n8n-workflow come from the
// node_modules there (the engine of the last n8n 1.x) instead of the project's own.
const engine = process.env.METACHAT_ENGINE_DIR;

/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	...(engine && {
		moduleNameMapper: {
			'^(n8n-core|n8n-workflow)(/.*)?$': path.join(engine, 'node_modules', '$1$2'),
		},
	}),
	testTimeout: 30000,
	verbose: true,
};
