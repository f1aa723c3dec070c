import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderWith, scriptedClient } from '../test-support/scripted-client';
import { readApiKey } from './api-key';
import { KeyGate } from './key-gate';

const REFUSED = {
  errors: [{ message: 'this server needs an API key', extensions: { code: 'UNAUTHENTICATED' } }],
};
const MODELS = { data: { models: [{ modelType: 'clip', ready: true }] } };

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe('KeyGate', () => {
  it('shows the page at once when the server needs no key', async () => {
    const { client } = scriptedClient(async () => MODELS);
    renderWith(client, <KeyGate>the views</KeyGate>);
    expect(await screen.findByText('the views')).toBeTruthy();
    expect(screen.queryByLabelText('API key')).toBeNull();
  });

  it('asks for a key when refused, keeps it, and shows the page once the server takes it', async () => {
    const { client } = scriptedClient(async () => (readApiKey() === 'right' ? MODELS : REFUSED));
    renderWith(client, <KeyGate>the views</KeyGate>);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('API key'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Use this key' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That key was refused.');
    await user.clear(screen.getByLabelText('API key'));
    await user.type(screen.getByLabelText('API key'), 'right');
    await user.click(screen.getByRole('button', { name: 'Use this key' }));
    expect(await screen.findByText('the views')).toBeTruthy();
    expect(localStorage.getItem('clipsmith.apiKey')).toBe('right');
  });
});
