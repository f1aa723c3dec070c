import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderWith, scriptedClient } from '../test-support/scripted-client';
import { storedAsset } from '../test-support/stored-asset';
import { ModerateView } from './moderate-view';

const IMAGE = storedAsset('img', { width: 200, height: 100, source: 'uploaded' });

function verdict(name: string, flagged: boolean) {
  return {
    name,
    flagged,
    score: flagged ? 0.9 : 0.1,
    threshold: 0.5,
    imageScore: 0.4,
    windowScore: 0.9,
    regions: [{ x: 50, y: 25, width: 100, height: 50, score: 0.9 }],
  };
}

beforeEach(() => window.history.pushState(null, '', '/moderate?asset=img'));
afterEach(cleanup);

describe('ModerateView', () => {
  it('sends the rules as written and draws each flagged rule’s region over the image, in its proportions', async () => {
    const { client, sent } = scriptedClient(async (op) =>
      op.name === 'Moderate'
        ? {
            data: {
              moderate: {
                flagged: true,
                heatmapRule: 'red circle',
                heatmap: { id: 'heat', url: '/assets/heat', width: 200, height: 100 },
                rules: [verdict('red circle', true), verdict('weapon', false)],
              },
            },
          }
        : { data: { asset: IMAGE } },
    );
    renderWith(client, <ModerateView />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add a rule' }));
    const second = screen.getByRole('group', { name: 'Rule 2' });
    await user.clear(within(second).getByLabelText('Name'));
    await user.type(within(second).getByLabelText('Name'), 'weapon');
    await user.click(screen.getByRole('button', { name: 'Moderate' }));

    const policy = sent.find((op) => op.name === 'Moderate')!.variables['policy'] as { rules: unknown[] };
    expect(policy.rules).toEqual([
      {
        name: 'red circle',
        description: 'a red circle',
        counterDescriptions: ['an orange circle', 'a red square'],
        threshold: 0.5,
      },
      {
        name: 'weapon',
        description: 'a red circle',
        counterDescriptions: ['an orange circle', 'a red square'],
        threshold: 0.5,
      },
    ]);
    const box = await screen.findByRole('img', { name: 'Region flagged by red circle' });
    expect([box.style.left, box.style.top, box.style.width, box.style.height]).toEqual([
      '25%',
      '25%',
      '50%',
      '50%',
    ]);
    expect(screen.queryByRole('img', { name: 'Region flagged by weapon' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Heat map of red circle' }).getAttribute('src')).toBe(
      '/assets/heat',
    );
    const verdicts = screen.getByRole('region', { name: 'Verdicts' });
    expect(within(verdicts).getByText('flagged')).toBeTruthy();
    expect(within(verdicts).getByText('passes')).toBeTruthy();

    await user.click(screen.getByRole('checkbox', { name: 'Show the heat map' }));
    expect(screen.queryByRole('img', { name: 'Heat map of red circle' })).toBeNull();
  });
});
