import { lazy, Suspense } from 'react';
import { KeyGate } from './auth/key-gate';
import { CaptionsView } from './captions/captions-view';
import { EditView } from './edit/edit-view';
import { AssetPage } from './gallery/asset-page';
import { GalleryView } from './gallery/gallery-view';
import { GenerateView } from './generate/generate-view';
import { ModerateView } from './moderate/moderate-view';
import { linkTo, useLocation, VIEWS } from './routing';

// GraphiQL brings Monaco (megabytes): loaded only when its route is opened.
const GraphiQLView = lazy(() => import('./graphiql/graphiql-view'));

/** The Studio: a nav bar over one view at a time, chosen by the path. */
export function App() {
  const location = useLocation();
  const top = `/${location.path.split('/')[1] ?? ''}`;
  if (top === '/graphiql') {
    return (
      <Suspense fallback={<p className="note">Loading GraphiQL…</p>}>
        <GraphiQLView />
      </Suspense>
    );
  }
  return (
    <>
      <header className="top">
        <a className="brand" {...linkTo('/')}>
          clipsmith <span>Studio</span>
        </a>
        <nav aria-label="Views">
          {VIEWS.map((view) => (
            <a key={view.path} {...linkTo(view.path)} aria-current={view.path === top ? 'page' : undefined}>
              {view.label}
            </a>
          ))}
        </nav>
      </header>
      <main>
        <KeyGate>
          <View top={top} path={location.path} />
        </KeyGate>
      </main>
    </>
  );
}

function View({ top, path }: { top: string; path: string }) {
  const detail = path.split('/')[2];
  switch (top) {
    case '/':
      return <GenerateView />;
    case '/edit':
      return <EditView />;
    case '/captions':
      return <CaptionsView />;
    case '/moderate':
      return <ModerateView />;
    case '/gallery':
      return detail ? <AssetPage key={detail} id={decodeURIComponent(detail)} /> : <GalleryView />;
    default:
      return (
        <section className="view">
          <h1>Not here</h1>
          <p>
            There is no view at this address. <a {...linkTo('/')}>Go to Generate</a>.
          </p>
        </section>
      );
  }
}
