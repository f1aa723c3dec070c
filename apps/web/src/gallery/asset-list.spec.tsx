import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWith, scriptedClient } from '../test-support/scripted-client';
import { AssetList, PAGE_SIZE } from './asset-list';

afterEach(cleanup);

const node = (n: number) => ({
  id: `a${n}`,
  url: `/assets/a${n}`,
  width: 64,
  height: 64,
  source: 'generated',
  prompt: `picture ${n}`,
  generator: 'procedural',
  createdAt: '',
});

describe('AssetList', () => {
  it('loads the next page from the last cursor, and says when everything is shown', async () => {
    const total = PAGE_SIZE + 2;
    const { client, sent } = scriptedClient(async (op) => {
      const start = op.variables['after'] === null ? 0 : Number(op.variables['after']);
      const count = Math.min(PAGE_SIZE, total - start);
      const edges = Array.from({ length: count }, (_, i) => ({
        cursor: String(start + i + 1),
        node: node(start + i + 1),
      }));
      return {
        data: {
          assets: {
            totalCount: total,
            edges,
            pageInfo: { endCursor: String(start + count), hasNextPage: start + count < total },
          },
        },
      };
    });
    renderWith(client, <AssetList filter={{ source: 'generated' }} />);
    const list = screen.getByRole('list', { name: 'Assets' });
    await user().click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByText(`All ${total} shown.`)).toBeTruthy();
    expect(
      within(list)
        .getAllByRole('img')
        .map((img) => img.getAttribute('alt')),
    ).toEqual(Array.from({ length: total }, (_, i) => `picture ${i + 1}`));
    const asked = new Set(sent.map((op) => JSON.stringify(op.variables)));
    expect([...asked].map((v) => JSON.parse(v) as unknown)).toEqual([
      { filter: { source: 'generated' }, first: PAGE_SIZE, after: null },
      { filter: { source: 'generated' }, first: PAGE_SIZE, after: String(PAGE_SIZE) },
    ]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });
});

const user = () => userEvent.setup();
