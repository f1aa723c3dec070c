export { openaiImagesPlugin } from './openai-images-plugin.js';
