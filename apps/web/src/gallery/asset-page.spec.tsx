import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWith, type SentOperation, scriptedClient } from '../test-support/scripted-client';
import { storedAsset } from '../test-support/stored-asset';
import { AssetPage } from './asset-page';

afterEach(cleanup);

const asset = (id: string, editedFrom: string | null) =>
  storedAsset(id, {
    source: editedFrom ? 'edited' : 'generated',
    prompt: editedFrom ? 'make the circle green' : 'a red circle',
    scores: { similarity: 0.31234 },
    editedFrom,
    createdAt: '2026-01-02T03:04:05.000Z',
  });

/** `mid` was edited from `root`, and `leaf` from `mid`; `mid` has two captions stored. */
function answer(op: SentOperation) {
  const id = op.variables['id'] as string;
  const parents: Record<string, string | null> = { root: null, mid: 'root', leaf: 'mid' };
  switch (op.name) {
    case 'StoredCaptions':
      return {
        data: {
          asset: {
            id,
            captions:
              id === 'mid'
                ? [
                    { caption: 'a green circle', clipScore: 0.8, refClipScore: 0.75, createdAt: '' },
                    { caption: 'a red square', clipScore: 0.4, refClipScore: null, createdAt: '' },
                  ]
                : [],
          },
        },
      };
    case 'CaptionByRetrieval':
      return { data: { captionByRetrieval: { captions: [] } } };
    case 'LineageEdits': {
      const children = Object.keys(parents).filter((child) => parents[child] === id);
      return {
        data: {
          assets: {
            totalCount: children.length,
            edges: children.map((child) => ({ node: asset(child, id) })),
          },
        },
      };
    }
    default:
      return { data: { asset: asset(id, parents[id] ?? null) } };
  }
}

describe('AssetPage', () => {
  it('shows the prompt, the scores, the stored captions with theirs, and links to the parent and the edits', async () => {
    const { client } = scriptedClient((op) => Promise.resolve(answer(op)));
    renderWith(client, <AssetPage id="mid" />);
    expect(await screen.findByRole('heading', { name: 'make the circle green' })).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Facts' })).getByText('0.3123')).toBeTruthy();

    const stored = screen.getByRole('region', { name: 'Stored captions' });
    const items = await within(stored).findAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'a green circleCLIPScore0.800RefCLIPScore0.750',
      'a red squareCLIPScore0.400',
    ]);

    const lineage = await screen.findByRole('navigation', { name: 'Lineage' });
    const from = await within(lineage).findByRole('list', { name: 'From the original' });
    const into = await within(lineage).findByRole('list', { name: 'Made from this image' });
    const hrefs = (list: HTMLElement) =>
      within(list)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href'));
    expect(await within(from).findAllByRole('link')).toHaveLength(2);
    expect(hrefs(from)).toEqual(['/gallery/root', '/gallery/mid']);
    expect(hrefs(into)).toEqual(['/gallery/leaf']);
  });

  it('says how to get captions when none are stored, and no lineage for an image neither edited nor edited from', async () => {
    const { client } = scriptedClient((op) => Promise.resolve(answer(op)));
    renderWith(client, <AssetPage id="lone" />);
    const stored = await screen.findByRole('region', { name: 'Stored captions' });
    const link = await within(stored).findByRole('link', { name: 'score captions' });
    expect(link.getAttribute('href')).toBe('/captions?asset=lone');
    expect(screen.queryByRole('navigation', { name: 'Lineage' })).toBeNull();
  });
});
