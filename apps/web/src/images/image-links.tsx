import { linkTo } from '../routing';

/** Where else an image can go: the other views that work on one, and its page in the gallery. */
export function ImageLinks({ id }: { id: string }) {
  const q = `?asset=${encodeURIComponent(id)}`;
  return (
    <p className="image-links">
      <a {...linkTo(`/moderate${q}`)}>Moderate this image</a>
      <a {...linkTo(`/captions${q}`)}>Score captions</a>
      <a {...linkTo(`/gallery/${encodeURIComponent(id)}`)}>Details</a>
      <a {...linkTo('/edit')}>Another image</a>
    </p>
  );
}
