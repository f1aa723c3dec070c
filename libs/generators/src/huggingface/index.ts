export { huggingfacePlugin } from './huggingface-plugin.js';
