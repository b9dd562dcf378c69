import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TranscriptView } from './transcript-view.tsx';

const turns = [
  {
    speaker: 'interviewer' as const,
    content: 'How do you plan?',
    timestamp: '2026-11-20T10:00:01Z',
  },
  { speaker: 'simulated_user' as const, content: 'On paper.', timestamp: '2026-11-20T10:00:02Z' },
  { speaker: 'interviewer' as const, content: 'Thanks.', timestamp: '2026-11-20T10:00:03Z' },
];

describe('TranscriptView', () => {
  it('says over or within the bound in words, and gives no verdict for a turn equal to it', () => {
    render(
      <TranscriptView
        createdAt="2026-11-20T10:00:00Z"
        turns={turns}
        firstAudioMs={[1000, null, 1001]}
        boundMs={1000}
      />,
    );
    const rows = within(screen.getByRole('list', { name: 'Transcript' })).getAllByRole('listitem');
    expect(rows[0]).toHaveTextContent('first audio 1,000 ms (within the 1,000 ms bound)');
    expect(rows[2]).toHaveTextContent('first audio 1,001 ms (over the 1,000 ms bound)');
  });

  it('makes each turn selectable and marks the current one when the page asks', async () => {
    const selected: number[] = [];
    render(
      <TranscriptView
        createdAt="2026-11-20T10:00:00Z"
        turns={turns}
        currentTurn={1}
        onSelectTurn={(index) => selected.push(index)}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Thanks.' }));
    expect(selected).toEqual([2]);
    const rows = within(screen.getByRole('list', { name: 'Transcript' })).getAllByRole('listitem');
    expect(rows[1]).toHaveAttribute('aria-current', 'true');
    expect(rows[0]).not.toHaveAttribute('aria-current');
  });

  it('has plain text turns without onSelectTurn', () => {
    render(<TranscriptView createdAt="2026-11-20T10:00:00Z" turns={turns} />);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
