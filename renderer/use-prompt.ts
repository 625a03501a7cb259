import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ConsoleSetup } from '../shared/contract.js';
import { PROMPT_VOICES, promptOf, promptPath } from '../shared/prompts.js';
import type { SessionView } from '../shared/session.js';

/**
 * Reads each screen's prompt aloud while the applicant has the sound on (`vision.sound`): once when
 * the screen appears or the language changes, at the office's volume (`sound.volume`) — never
 * louder. Returns false when a prompt could not be played (missing file, no audio device), so the
 * sound control can say so instead of staying silent. `player` goes on the page's one <audio>.
 */
export function usePrompt(
  setup: ConsoleSetup | null,
  session: SessionView | null,
): { player: RefObject<HTMLAudioElement | null>; playable: boolean } {
  const player = useRef<HTMLAudioElement | null>(null);
  const [playable, setPlayable] = useState(true);
  const on = !!setup?.sound.offered && !!session?.vision.sound && PROMPT_VOICES[session.language] !== null;
  const file = session ? promptPath(session.language, promptOf(session.screen)) : null;
  const volume = setup?.sound.volume ?? 0;
  const screenId = session?.screenId;

  useEffect(() => {
    const audio = player.current;
    if (!audio) return;
    if (!on || !file) {
      // Only when it plays: pausing a silent player still costs the media pipeline a call at every
      // screen (1.3 ms of a touch at 4× CPU, bench b4).
      if (!audio.paused) audio.pause();
      return;
    }
    audio.src = file;
    audio.volume = volume;
    audio.play().then(
      () => setPlayable(true),
      () => setPlayable(false),
    );
    return () => audio.pause();
  }, [on, file, volume, screenId]);

  return { player, playable };
}
