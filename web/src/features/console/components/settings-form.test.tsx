import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings.ts';
import { SettingsForm } from './settings-form.tsx';

describe('SettingsForm', () => {
  it('says when the scenario is in voice mode, and how the user speaks', () => {
    const settings = defaultSettings('offline');
    const spoken = {
      ...settings,
      scenario: {
        ...settings.scenario,
        simulated_user: {
          ...settings.scenario.simulated_user,
          speech: {
            mode: 'voice' as const,
            voice: 'ash' as const,
            words_per_minute: 160,
            noise: { kind: 'pink' as const, level_db: 15 },
            interrupt_after_ms: 1500,
          },
        },
      },
    };
    render(<SettingsForm settings={spoken} disabled={false} onChange={() => {}} />);
    expect(
      screen.getByText(
        'Voice mode: the simulated user speaks its replies (voice ash · 160 words a minute · pink noise at 15 dB SNR · barges in 1.50 s into each interviewer turn · turn detection server_vad), as its scenario file says.',
      ),
    ).toBeInTheDocument();
  });

  it('says nothing of voice for a text scenario', () => {
    render(
      <SettingsForm settings={defaultSettings('offline')} disabled={false} onChange={() => {}} />,
    );
    expect(screen.queryByText(/Voice mode/)).not.toBeInTheDocument();
  });
});
