import { onTestFinished, vi } from 'vitest';

/**
 * Captures what the page saves as a file (a blob URL clicked through an anchor), instead of
 * jsdom trying to navigate, until the test ends.
 */
export function captureDownloads() {
  const blobs: Blob[] = [];
  const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.push(blob as Blob);
    return `blob:download-${blobs.length}`;
  });
  const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  onTestFinished(() => {
    createObjectURL.mockRestore();
    click.mockRestore();
  });
  return {
    blobs,
    /** The file name the n-th download was offered under. */
    fileName: (index = 0) =>
      (click.mock.contexts[index] as HTMLAnchorElement | undefined)?.download,
    /** The n-th download's content as text. */
    text: (index = 0) => readText(blobs[index] as Blob),
  };
}

/** jsdom's Blob has no text(); FileReader it is. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}
