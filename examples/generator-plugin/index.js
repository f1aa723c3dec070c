// An example third-party generator plugin for clipsmith. A real plugin would call a model or an API;
// this one paints the first CSS colour word of the prompt, so it needs no network.
import sharp from 'sharp';

const COLOURS = {
  red: '#e53935',
  green: '#43a047',
  blue: '#1e88e5',
  yellow: '#fdd835',
  black: '#000000',
  white: '#ffffff',
};

export default {
  name: 'solid-colour',
  create(id, options) {
    const fallback = options.fallback ?? 'white';
    if (!(fallback in COLOURS))
      throw new Error(`options.fallback must be one of ${Object.keys(COLOURS).join(', ')}`);
    return {
      id,
      kind: 'solid-colour',
      capabilities: {
        textToImage: true,
        imageToImage: false,
        sizes: { minWidth: 8, maxWidth: 2048, minHeight: 8, maxHeight: 2048, multipleOf: 1 },
        maxImagesPerCall: 4,
        seed: false,
        negativePrompt: false,
      },
      async generate(request, { signal }) {
        const word =
          request.prompt
            .toLowerCase()
            .split(/\W+/)
            .find((w) => w in COLOURS) ?? fallback;
        const width = request.width ?? 256;
        const height = request.height ?? 256;
        const images = [];
        for (let i = 0; i < request.count; i++) {
          signal.throwIfAborted();
          const bytes = await sharp({ create: { width, height, channels: 3, background: COLOURS[word] } })
            .png()
            .toBuffer();
          images.push({
            bytes,
            mimeType: 'image/png',
            seed: null,
            parameters: { colour: word, width, height },
            model: 'solid-colour',
          });
        }
        return images;
      },
    };
  },
};
