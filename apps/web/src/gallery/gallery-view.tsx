import { useState } from 'react';
import { useQuery } from 'urql';
import { GeneratorsQuery } from '../generate/documents';
import type { ImageInput } from '../gql/graphql';
import { errorText } from '../graphql/errors';
import { uploadImage } from '../images/upload';
import { linkTo, navigate, useLocation } from '../routing';
import { Alert } from '../ui/alert';
import { AssetCard } from './asset-card';
import { AssetList } from './asset-list';
import { SearchAssetsQuery } from './documents';

const SOURCES = ['generated', 'uploaded', 'edited', 'heatmap'] as const;
const SEARCH_HITS = 24;

/**
 * All assets, filtered (source, generator, prompt) and scrolled without end; or, with a search, the
 * assets nearest a text or an image. The search lives in the address (`?text=`, `?similar=`), so the
 * back button and links work.
 */
export function GalleryView() {
  const params = useLocation().params;
  const text = params.get('text');
  const similar = params.get('similar');
  const search = text ? { text } : similar ? { image: { assetId: similar } } : null;
  const [source, setSource] = useState('');
  const [generator, setGenerator] = useState('');
  const [promptContains, setPromptContains] = useState('');
  const [query, setQuery] = useState(text ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [{ data: generators }] = useQuery({ query: GeneratorsQuery });

  const filter = {
    source: source || null,
    generator: generator || null,
    promptContains: promptContains.trim() || null,
  };
  const searchImage = (file: File | undefined): void => {
    if (!file) return;
    setProblem(null);
    uploadImage(file).then(
      (image) => navigate(`/gallery?similar=${encodeURIComponent(image.id)}`),
      (error: Error) => setProblem(error.message),
    );
  };
  return (
    <section className="view" aria-labelledby="gallery-title">
      <h1 id="gallery-title">Gallery</h1>
      <form
        className="panel form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(query.trim() ? `/gallery?text=${encodeURIComponent(query.trim())}` : '/gallery');
        }}
      >
        <label className="field wide">
          <span>Search by text</span>
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="a green triangle"
          />
        </label>
        <div className="actions wide">
          <button type="submit" className="primary">
            Search
          </button>
          <label className="button-like">
            Search by image
            <input
              type="file"
              accept="image/*"
              className="visually-hidden"
              onChange={(e) => searchImage(e.target.files?.[0])}
            />
          </label>
          {search ? <a {...linkTo('/gallery')}>Show all assets</a> : null}
        </div>
      </form>
      {problem ? <Alert>{problem}</Alert> : null}
      {search ? (
        <SearchResults input={search} />
      ) : (
        <>
          <div className="panel form filters" aria-label="Filters" role="group">
            <label className="field">
              <span>Source</span>
              <select value={source} onChange={(e) => setSource(e.target.value)}>
                <option value="">any</option>
                {SOURCES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Generator</span>
              <select value={generator} onChange={(e) => setGenerator(e.target.value)}>
                <option value="">any</option>
                {generators?.generators.map((g) => (
                  <option key={g.id}>{g.id}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Prompt contains</span>
              <input value={promptContains} onChange={(e) => setPromptContains(e.target.value)} />
            </label>
          </div>
          <AssetList key={JSON.stringify(filter)} filter={filter} />
        </>
      )}
    </section>
  );
}

function SearchResults({ input }: { input: { text: string } | { image: ImageInput } }) {
  const [{ data, fetching, error }] = useQuery({
    query: SearchAssetsQuery,
    variables: { ...input, k: SEARCH_HITS },
  });
  if (error) return <Alert>{errorText(error)}</Alert>;
  if (fetching && !data) return <p className="note">Searching…</p>;
  const hits = data?.searchAssets.hits ?? [];
  return (
    <>
      <p className="note" aria-live="polite">
        {hits.length === 0 ? 'Nothing matches.' : `${hits.length} nearest, best first.`}
      </p>
      <ol className="grid gallery" aria-label="Search results">
        {hits.map((hit) => (
          <AssetCard key={hit.asset.id} asset={hit.asset} score={hit.score} />
        ))}
      </ol>
    </>
  );
}
