import { type ConsoleSettings, settingsSchema } from './settings.ts';
import { settingsOfV1, V1_STORAGE_KEY } from './settings-v1.ts';

export const STORAGE_KEY = 'realtime-bench.console-settings.v2';

/** What is saved, in the current shape: v1 settings (not yet saved again) are converted. */
function readSaved(storage: Storage): unknown {
  const saved = storage.getItem(STORAGE_KEY);
  if (saved) return JSON.parse(saved);
  const v1 = storage.getItem(V1_STORAGE_KEY);
  return v1 ? settingsOfV1(JSON.parse(v1)) : null;
}

/** Saved settings, or null when there are none (or they no longer parse). */
export function loadSettings(storage: Storage = localStorage): ConsoleSettings | null {
  try {
    const parsed = settingsSchema.safeParse(readSaved(storage));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Saves under the current key; v1 settings, now converted, are dropped. */
export function saveSettings(settings: ConsoleSettings, storage: Storage = localStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(settings));
  storage.removeItem(V1_STORAGE_KEY);
}
