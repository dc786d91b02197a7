// The package's main entry: codecs and kernel types, usable as a library.
// It must not open native modules (SQLite) or start anything at import time.
export * from './kernel/index.js';
export * from './codecs/index.js';
