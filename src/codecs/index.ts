// Pure codecs: bytes <-> trees, no I/O. Each codec folder's index.ts is its public face.
export {};
