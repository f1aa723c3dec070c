import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ExecutionResult } from 'urql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channel, renderWith, type SentOperation, scriptedClient } from '../test-support/scripted-client';
import { storedAsset } from '../test-support/stored-asset';
import { EditView } from './edit-view';
import { chosenStep } from './search-path-plot';

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

const asset = (id: string, editedFrom: string | null) =>
  storedAsset(id, { prompt: 'a red circle', editedFrom });

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
function job(state: State, progress: [string, number, number], extra: Record<string, unknown> = {}) {
  const [stage, done, total] = progress;
  return { id: 'job1', state, progress: { stage, done, total }, edit: null, error: null, ...extra };
}

/** An edit made from `src`, the mask it was confined to, and a heat map of `src`. */
const MADE_FROM_SRC = [
  storedAsset('out', {
    source: 'edited',
    prompt: 'make the circle green',
    parameters: { mode: 'OPERATORS' },
  }),
  storedAsset('mask', {
    source: 'edited',
    prompt: 'make the circle green',
    parameters: { kind: 'edit-mask' },
  }),
  storedAsset('heat', { source: 'heatmap', prompt: 'a red shape', parameters: { rule: 'red' } }),
];

/** The server: assets and their lineage, the submit answer, and a subscription fed event by event. */
function server() {
  const events = channel<ExecutionResult>();
  const answer = (op: SentOperation): ExecutionResult => {
    if (op.name === 'SubmitEdit') return { data: { submitEdit: job('QUEUED', ['queued', 0, 0]) } };
    if (op.name === 'CancelJob') return { data: { cancelJob: { id: 'job1', state: 'RUNNING' } } };
    const id = op.variables['id'] as string;
    if (op.name === 'LineageEdits') {
      const nodes = id === 'src' ? MADE_FROM_SRC : [];
      return { data: { assets: { totalCount: nodes.length, edges: nodes.map((node) => ({ node })) } } };
    }
    return { data: { asset: asset(id, id === 'out' ? 'src' : null) } };
  };
  const scripted = scriptedClient((op) =>
    op.name === 'EditJobUpdated' ? events : Promise.resolve(answer(op)),
  );
  const update = (value: ReturnType<typeof job>): void => events.push({ data: { jobUpdated: value } });
  return { ...scripted, update, end: () => events.end() };
}

async function submitEdit(instruction: string): Promise<ReturnType<typeof userEvent.setup>> {
  const user = userEvent.setup();
  await user.type(await screen.findByRole('textbox', { name: 'Instruction' }), instruction);
  expect(screen.getAllByRole('button', { name: 'Edit' })).toHaveLength(1);
  await user.click(screen.getByRole('button', { name: 'Edit' }));
  return user;
}

beforeEach(() => window.history.pushState(null, '', '/edit?asset=src'));
afterEach(cleanup);

describe('EditView', () => {
  it('submits an edit job, shows evaluations spent of the budget, then before and after, the verdict, the chain and the search path', async () => {
    const { client, sent, update, end } = server();
    renderWith(client, <EditView />);
    const user = await submitEdit('make the circle green');
    expect(screen.getByRole('progressbar')).toBeTruthy();
    expect(sent.find((op) => op.name === 'SubmitEdit')!.variables).toEqual({
      input: {
        image: { assetId: 'src' },
        instruction: 'make the circle green',
        mode: 'OPERATORS',
        budget: 48,
      },
    });
    await waitFor(() =>
      expect(sent.find((op) => op.name === 'EditJobUpdated')?.variables).toEqual({ id: 'job1' }),
    );
    update(job('RUNNING', ['evaluating', 12, 48]));
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('value')).toBe('12'));
    expect(screen.getByRole('progressbar').getAttribute('max')).toBe('48');
    expect(screen.getByText('evaluating: 12 of 48')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();

    const madeFromSrc = () => sent.filter((op) => op.name === 'LineageEdits' && op.variables['id'] === 'src');
    const askedBefore = madeFromSrc().length;
    update(job('SUCCEEDED', ['done', 48, 48], { edit: RESULT }));
    end();
    const result = await screen.findByRole('region', { name: 'Edit result' });
    // The new edit is one more thing made from the source: the list is asked for again.
    await waitFor(() => expect(madeFromSrc().length).toBeGreaterThan(askedBefore));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(within(result).getByText('not accepted')).toBeTruthy();
    expect(within(result).getByRole('img', { name: 'Before' }).getAttribute('src')).toBe('/assets/src');
    expect(within(result).getByRole('img', { name: 'After' }).getAttribute('src')).toBe('/assets/out');
    const chain = within(result).getByRole('list', { name: 'Operator chain' });
    expect(chain.textContent).toBe('recolourto="green"amount=1');
    expect(within(result).getByRole('img', { name: /^Search path: 3 tries/ })).toBeTruthy();

    await user.click(within(result).getByRole('button', { name: 'Continue from the result' }));
    expect(window.location.search).toBe('?asset=out');
    const lineage = await screen.findByRole('navigation', { name: 'Lineage' });
    const history = await within(lineage).findByRole('list', { name: 'From the original' });
    await waitFor(() => expect(within(history).getAllByRole('link')).toHaveLength(2));
    expect(
      within(history)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toEqual(['/edit?asset=src', '/edit?asset=out']);
  });

  it('moves the line between before and after with the Compare slider', async () => {
    const { client, update, end } = server();
    renderWith(client, <EditView />);
    await submitEdit('make the circle green');
    update(job('SUCCEEDED', ['done', 3, 3], { edit: RESULT }));
    end();
    const slider = await screen.findByRole('slider', { name: 'Compare' });
    const frame = screen.getByRole('img', { name: 'After' }).parentElement!;
    expect([slider.getAttribute('aria-valuetext'), frame.style.getPropertyValue('--split')]).toEqual([
      '50% before, 50% after',
      '50%',
    ]);
    fireEvent.change(slider, { target: { value: '20' } });
    expect([slider.getAttribute('aria-valuetext'), frame.style.getPropertyValue('--split')]).toEqual([
      '20% before, 80% after',
      '20%',
    ]);
    expect(screen.getAllByRole('img', { name: 'Before' })).toHaveLength(1);
    expect(screen.getAllByRole('img', { name: 'After' })).toHaveLength(1);
  });

  it('cancels the edit job on the server and says so', async () => {
    const { client, sent, update, end } = server();
    renderWith(client, <EditView />);
    const user = await submitEdit('make the circle green');
    update(job('RUNNING', ['evaluating', 5, 48]));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(sent.find((op) => op.name === 'CancelJob')?.variables).toEqual({ id: 'job1' });
    update(job('CANCELLED', ['evaluating', 5, 48], { error: { code: 'CANCELLED', message: 'cancelled' } }));
    end();
    expect(await screen.findByText('Cancelled.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Edit result' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit' })).toHaveProperty('disabled', false);
  });

  it('says why when the edit job fails', async () => {
    const { client, update, end } = server();
    renderWith(client, <EditView />);
    await submitEdit('make the circle green');
    update(job('FAILED', ['evaluating', 2, 48], { error: { code: 'BAD_REQUEST', message: 'no such part' } }));
    end();
    expect((await screen.findByRole('alert')).textContent).toBe('no such part');
  });

  it('lists what was made from the image, each named for what it is, each a link', async () => {
    const { client } = server();
    renderWith(client, <EditView />);
    const made = await screen.findByRole('list', { name: 'Made from this image' });
    expect(
      within(made)
        .getAllByRole('link')
        .map((a) => [a.getAttribute('href'), within(a).getByRole('img').getAttribute('alt'), a.textContent]),
    ).toEqual([
      ['/edit?asset=out', 'Edited: make the circle green', 'edit'],
      ['/edit?asset=mask', 'Mask for: make the circle green', 'mask'],
      ['/edit?asset=heat', 'Heat map of: a red shape', 'heat map'],
    ]);
  });
});

describe('chosenStep', () => {
  it('is the best-scoring try with the result’s chain, and none when nothing was applied', () => {
    expect(chosenStep(RESULT.steps, recolour)).toBe(1);
    expect(chosenStep(RESULT.steps, [{ name: 'blur', params: {} }])).toBe(-1);
  });
});
