export { automatic1111Plugin } from './automatic1111-plugin.js';
