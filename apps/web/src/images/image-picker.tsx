import { useEffect, useId, useState } from 'react';
import { useQuery } from 'urql';
import { RecentAssetsQuery } from './documents';
import { type PickedImage, uploadImage } from './upload';

/**
 * Chooses the image a view works on: a recent generated asset, a file (button, drag and drop, or paste
 * anywhere on the page). Uploads go to the server first, so every view names images by asset id.
 */
export function ImagePicker({ label, onPick }: { label: string; onPick: (image: PickedImage) => void }) {
  const [{ data }] = useQuery({ query: RecentAssetsQuery, variables: { first: 8 } });
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();

  const take = (file: Blob | null | undefined): void => {
    if (!file) return;
    setProblem(null);
    uploadImage(file).then(onPick, (error: Error) => setProblem(error.message));
  };

  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const item = [...(event.clipboardData?.items ?? [])].find((i) => i.type.startsWith('image/'));
      if (item) take(item.getAsFile());
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  });

  const recent = data?.assets.edges.map((e) => e.node) ?? [];
  return (
    <fieldset className="picker">
      <legend>{label}</legend>
      <div
        className={`drop${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          take(e.dataTransfer.files[0]);
        }}
      >
        <input
          id={inputId}
          type="file"
          accept="image/*"
          className="visually-hidden"
          onChange={(e) => take(e.target.files?.[0])}
        />
        <label htmlFor={inputId} className="button-like">
          Upload an image
        </label>
        <span className="note">or drop one here, or paste it</span>
      </div>
      {problem ? (
        <p className="alert" role="alert">
          {problem}
        </p>
      ) : null}
      {recent.length > 0 ? (
        <ul className="strip" aria-label="Recent images">
          {recent.map((asset, i) => (
            <li key={asset.id}>
              <button type="button" className="strip-item" onClick={() => onPick(asset)}>
                <img src={asset.url} alt={`Recent ${i + 1}${asset.prompt ? `: ${asset.prompt}` : ''}`} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
