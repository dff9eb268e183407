#!/usr/bin/env node
import { processIo } from './framework/cli-io.js';
import { runPrivlink } from './program.js';

/**
 * The `privlink` command (package.json `bin`). Runs one command line; the exit code is set, not
 * forced, so output in pipes drains and `privlink serve` keeps running.
 */
// The AWS SDK's Node-version notice is not actionable for a CLI user and would pollute stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runPrivlink(process.argv.slice(2), processIo());
