// Interface tests as code: fixtures (YAML/JSON) run through the real pipeline of a config's channels.
export { loadInterfaceTests, InterfaceTestSchema, ExpectedMessageSchema, type InterfaceTest, type ExpectedMessage } from './fixture.js';
export { checkMessage, jsonPointer, textDiff, type Mismatch } from './checks.js';
export { runInterfaceTests, type TestResult } from './runner.js';
