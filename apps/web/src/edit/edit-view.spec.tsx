import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ExecutionResult } from 'urql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deferred, renderWith, scriptedClient } from '../test-support/scripted-client';
import { EditView } from './edit-view';
import { chosenStep } from './search-path-plot';

const SOURCE = {
  id: 'src',
  url: '/assets/src',
  width: 64,
  height: 64,
  source: 'generated',
  prompt: 'a red circle',
};
const recolour = [{ name: 'recolour', params: { to: 'green', amount: 1 } }];

function step(
  directionalSimilarity: number,
  operations: { name: string; params: unknown }[],
  keepsImage = true,
) {
  return {
    stage: 'search',
    directionalSimilarity,
    preservation: 0.8,
    targetSimilarity: 0.3,
    keepsImage,
    operations,
  };
}

const RESULT = {
  accepted: false,
  mode: 'OPERATORS',
  reason: null,
  sourceText: 'a red circle',
  targetText: 'a green circle',
  directionalSimilarity: 0.12,
  preservation: 0.81,
  targetSimilarity: 0.3,
  evaluations: 3,
  generator: null,
  part: null,
  asset: { id: 'out', url: '/assets/out', width: 64, height: 64 },
  operations: recolour,
  steps: [step(0.05, []), step(0.12, recolour), step(0.02, recolour, false)],
  errors: [],
};

function asset(id: string, editedFrom: string | null) {
  return {
    ...SOURCE,
    id,
    url: `/assets/${id}`,
    seed: null,
    generator: null,
    scores: null,
    parameters: null,
    editedFrom,
    createdAt: '',
  };
}

beforeEach(() => window.history.pushState(null, '', '/edit?asset=src'));
afterEach(cleanup);

describe('EditView', () => {
  it('edits the chosen image and shows before and after, the verdict, the chain and the search path', async () => {
    const edit = deferred<ExecutionResult>();
    const { client, sent } = scriptedClient(async (op) => {
      if (op.name === 'EditImage') return edit.promise;
      const id = op.variables['id'] as string;
      return { data: { asset: asset(id, id === 'out' ? 'src' : null) } };
    });
    renderWith(client, <EditView />);
    const user = userEvent.setup();
    await user.type(await screen.findByRole('textbox', { name: 'Instruction' }), 'make the circle green');
    expect(screen.getAllByRole('button', { name: 'Edit' })).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('progressbar')).toBeTruthy();
    expect(sent.find((op) => op.name === 'EditImage')!.variables).toEqual({
      input: {
        image: { assetId: 'src' },
        instruction: 'make the circle green',
        mode: 'OPERATORS',
        budget: 48,
      },
    });

    edit.resolve({ data: { editImage: RESULT } });
    const result = await screen.findByRole('region', { name: 'Edit result' });
    expect(within(result).getByText('not accepted')).toBeTruthy();
    expect(within(result).getByRole('img', { name: 'Before' }).getAttribute('src')).toBe('/assets/src');
    expect(within(result).getByRole('img', { name: 'After' }).getAttribute('src')).toBe('/assets/out');
    const chain = within(result).getByRole('list', { name: 'Operator chain' });
    expect(chain.textContent).toBe('recolourto="green"amount=1');
    expect(within(result).getByRole('img', { name: /^Search path: 3 tries/ })).toBeTruthy();

    await user.click(within(result).getByRole('button', { name: 'Continue from the result' }));
    expect(window.location.search).toBe('?asset=out');
    const lineage = await screen.findByRole('navigation', { name: 'Lineage' });
    await waitFor(() => expect(within(lineage).getAllByRole('link')).toHaveLength(2));
    expect(
      within(lineage)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['/edit?asset=src', '/edit?asset=out']);
  });
});

describe('chosenStep', () => {
  it('is the best-scoring try with the result’s chain, and none when nothing was applied', () => {
    expect(chosenStep(RESULT.steps, recolour)).toBe(1);
    expect(chosenStep(RESULT.steps, [{ name: 'blur', params: {} }])).toBe(-1);
  });
});
