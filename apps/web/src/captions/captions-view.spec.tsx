import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderWith, scriptedClient } from '../test-support/scripted-client';
import { storedAsset } from '../test-support/stored-asset';
import { CaptionsView } from './captions-view';

const IMAGE = storedAsset('img', { prompt: 'a red circle' });

beforeEach(() => window.history.pushState(null, '', '/captions?asset=img'));
afterEach(cleanup);

describe('CaptionsView', () => {
  it('scores each line as a caption, and keeps them on the image only when asked', async () => {
    const { client, sent } = scriptedClient((op) =>
      Promise.resolve(
        op.name === 'ScoreCaptions'
          ? {
              data: {
                scoreCaptions: [
                  { caption: 'a red circle', similarity: 0.3, clipScore: 0.75, refClipScore: null },
                  { caption: 'a blue square', similarity: 0.1, clipScore: 0.25, refClipScore: null },
                ],
              },
            }
          : { data: { asset: IMAGE } },
      ),
    );
    renderWith(client, <CaptionsView />);
    const user = userEvent.setup();
    await user.type(
      await screen.findByRole('textbox', { name: 'Captions (one per line)' }),
      'a red circle\n\na blue square',
    );
    await user.click(screen.getByRole('button', { name: 'Score captions' }));
    await user.click(screen.getByRole('checkbox', { name: /^Keep them on the image/ }));
    await user.click(screen.getByRole('button', { name: 'Score captions' }));
    const stores = sent
      .filter((op) => op.name === 'ScoreCaptions')
      .map((op) => op.variables['input'] as { items: { caption: string }[]; store: boolean });
    expect(stores.map((input) => [input.items.map((item) => item.caption), input.store])).toEqual([
      [['a red circle', 'a blue square'], false],
      [['a red circle', 'a blue square'], true],
    ]);
    const scores = await screen.findByRole('region', { name: 'Caption scores' });
    expect(within(scores).getAllByRole('listitem')).toHaveLength(2);
  });
});
