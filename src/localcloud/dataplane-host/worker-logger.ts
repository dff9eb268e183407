import type { Logger, LogLevel } from '../../logging/logger.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** One log record as the worker posts it to the main thread, whose logger writes it. */
export interface PostedLogRecord {
  readonly level: Exclude<LogLevel, 'silent'>;
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/**
 * The worker's logger: records at or above `level` are handed to `post` (with the child fields
 * merged in); records below it cost nothing, not even a message to the main thread.
 */
export function postingLogger(level: LogLevel, post: (record: PostedLogRecord) => void, base: Record<string, unknown> = {}): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    post({ level: lvl, msg, fields: { ...base, ...fields } });
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => postingLogger(level, post, { ...base, ...fields }),
  };
}

/**
 * A warning that floods cannot multiply: the first occurrence in each `windowMs` is logged, the
 * others only counted, and the count of those left out rides on the next one logged
 * (`suppressed`). Keeps a burst of bad packets from becoming a burst of log lines.
 */
export function throttledWarning(log: Logger, msg: string, windowMs = 1000): (fields: Record<string, unknown>) => void {
  let windowStart = -Infinity;
  let suppressed = 0;
  return (fields) => {
    const now = Date.now();
    if (now - windowStart < windowMs) {
      suppressed += 1;
      return;
    }
    windowStart = now;
    log.warn(msg, suppressed > 0 ? { ...fields, suppressed } : fields);
    suppressed = 0;
  };
}
