import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ExecutionResult } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { channel, renderWith, scriptedClient } from '../test-support/scripted-client';
import { GenerateView } from './generate-view';

afterEach(cleanup);

const SIZES = { minWidth: 64, maxWidth: 1024, minHeight: 64, maxHeight: 1024, multipleOf: 8 };
const capabilities = { negativePrompt: true, seed: true, textToImage: true, sizes: SIZES };
const GENERATORS = {
  data: {
    generators: [
      { id: 'procedural', kind: 'procedural', capabilities },
      { id: 'hf', kind: 'huggingface', capabilities },
    ],
  },
};

function candidate(rank: number, similarity: number) {
  return {
    rank,
    generator: 'procedural',
    seed: 6 + rank,
    model: 'procedural',
    asset: { id: `a${rank}`, url: `/assets/a${rank}`, width: 512, height: 512 },
    scores: {
      similarity,
      clipScore: 2.5 * similarity,
      negativeSimilarity: null,
      negativePenalty: 0,
      redundancy: 0.1,
      rankScore: similarity,
    },
  };
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
function job(state: State, progress: [string, number, number], extra: Record<string, unknown> = {}) {
  const [stage, done, total] = progress;
  return { id: 'job1', state, progress: { stage, done, total }, generation: null, error: null, ...extra };
}

/** The server: generators, the submit answer, and a subscription the test feeds event by event. */
function server() {
  const events = channel<ExecutionResult>();
  const scripted = scriptedClient((op) => {
    if (op.name === 'Generators') return Promise.resolve(GENERATORS);
    if (op.name === 'SubmitGenerate')
      return Promise.resolve({ data: { submitGenerate: job('QUEUED', ['queued', 0, 0]) } });
    if (op.name === 'CancelJob')
      return Promise.resolve({ data: { cancelJob: job('RUNNING', ['generating', 1, 2]) } });
    return events;
  });
  const update = (value: ReturnType<typeof job>): void => events.push({ data: { jobUpdated: value } });
  return { ...scripted, update, end: () => events.end() };
}

async function submit(prompt: string): Promise<ReturnType<typeof userEvent.setup>> {
  const user = userEvent.setup();
  await screen.findByRole('checkbox', { name: /hf/ });
  await user.type(screen.getByRole('textbox', { name: 'Prompt' }), prompt);
  await user.click(screen.getByRole('button', { name: 'Generate' }));
  return user;
}

describe('GenerateView', () => {
  it('submits a job and follows it: the progress bar moves, then the candidates appear in rank order', async () => {
    const { client, sent, update, end } = server();
    renderWith(client, <GenerateView />);
    const user = userEvent.setup();
    await screen.findByRole('checkbox', { name: /hf/ });
    await user.type(screen.getByRole('textbox', { name: 'Prompt' }), 'a red circle');
    await user.clear(screen.getByRole('spinbutton', { name: 'Count' }));
    await user.type(screen.getByRole('spinbutton', { name: 'Count' }), '2');
    await user.type(screen.getByRole('spinbutton', { name: 'Seed' }), '7');
    await user.click(screen.getByRole('checkbox', { name: /hf/ }));
    await user.click(screen.getByRole('button', { name: 'Generate' }));

    expect(sent.find((op) => op.name === 'SubmitGenerate')!.variables).toEqual({
      input: {
        prompt: 'a red circle',
        negativePrompt: null,
        count: 2,
        generators: ['procedural'],
        width: null,
        height: null,
        seed: 7,
        diversity: 1,
      },
    });
    await waitFor(() =>
      expect(sent.find((op) => op.name === 'GenerateJobUpdated')?.variables).toEqual({ id: 'job1' }),
    );
    update(job('RUNNING', ['generating', 1, 2]));
    await waitFor(() => expect(screen.getByRole('progressbar').getAttribute('value')).toBe('1'));
    expect(screen.getByText('generating: 1 of 2')).toBeTruthy();
    update(job('RUNNING', ['scoring', 2, 2]));
    await screen.findByText('scoring: 2 of 2');

    const generation = { id: 'g1', candidates: [candidate(1, 0.31), candidate(2, 0.2)], errors: [] };
    update(job('SUCCEEDED', ['done', 2, 2], { generation }));
    end();
    const images = await screen.findAllByRole('img', { name: /^Candidate \d+$/ });
    expect(images.map((img) => img.getAttribute('alt'))).toEqual(['Candidate 1', 'Candidate 2']);
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('cancels the job on the server and shows what was stored before it stopped', async () => {
    const { client, sent, update, end } = server();
    renderWith(client, <GenerateView />);
    const user = await submit('a blue square');
    update(job('RUNNING', ['generating', 1, 2]));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(sent.find((op) => op.name === 'CancelJob')?.variables).toEqual({ id: 'job1' });
    const partial = { id: 'g1', candidates: [candidate(1, 0.3)], errors: [] };
    update(
      job('CANCELLED', ['generating', 1, 2], {
        generation: partial,
        error: { code: 'CANCELLED', message: 'cancelled' },
      }),
    );
    end();
    expect(await screen.findByText('Cancelled.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getAllByRole('img', { name: /^Candidate/ })).toHaveLength(1);
  });

  it('says why when the job fails, and lists each failing generator beside the candidates', async () => {
    const { client, update, end } = server();
    renderWith(client, <GenerateView />);
    await submit('x');
    update(
      job('FAILED', ['generating', 0, 1], {
        error: { code: 'GENERATOR_FAILED', message: 'every generator failed' },
      }),
    );
    end();
    expect((await screen.findByRole('alert')).textContent).toBe('every generator failed');
  });

  it('lists generators that failed beside the candidates of the others', async () => {
    const { client, update, end } = server();
    renderWith(client, <GenerateView />);
    await submit('x');
    const errors = [{ generator: 'hf', code: 'TIMEOUT', message: 'hf did not answer in 60 s', retries: 2 }];
    update(
      job('SUCCEEDED', ['done', 1, 1], { generation: { id: 'g', candidates: [candidate(1, 0.3)], errors } }),
    );
    end();
    const region = await screen.findByRole('region', { name: 'Generator errors' });
    expect(within(region).getByText(/did not answer in 60 s/)).toBeTruthy();
  });
});
