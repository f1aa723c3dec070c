/** What other libs', the API's and the e2e tests may use of the generators' test support (`#generators/test-support`). */
export * from './scripted-generator.js';
export { startFakeHuggingFace, type FakeHuggingFaceOptions } from './fake-huggingface.js';
export { startFakeOpenAI, type FakeOpenAIOptions } from './fake-openai.js';
export { startFakeAutomatic1111 } from './fake-automatic1111.js';
export { jsonReply, type Fault, type FakeUpstream } from './fake-upstream.js';
export * from '../procedural/test-support/pixels.js';
