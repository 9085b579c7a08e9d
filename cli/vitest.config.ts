import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared';

// The end-to-end suite starts the platform on its fixed ports; the other suites here start services on free ports
// picked at random, which must not be taken while it starts: one file at a time.
export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false } }));
