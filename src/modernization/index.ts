// Modernization: bring a legacy interface estate (Mirth Connect / Open Integration Engine) into Loom.
export * from './mirth/index.js';
export { migrateMirthChannel, migrateMirthEstate, loomName, mirthFieldToPath, type MigratedChannel, type LoomChannelYaml, type InterfaceTestYaml } from './mirth/migrate.js';
export { migrationTodoStep } from './todo-step.js';
export * from './shadow/index.js';
