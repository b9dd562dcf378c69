/** The parts of `@echogarden/fvad-wasm` (libfvad, the WebRTC VAD, as Emscripten wasm) used here. */
declare module '@echogarden/fvad-wasm' {
  export type FvadModule = {
    /** A new detector (a pointer into the wasm heap), 0 when out of memory. */
    _fvad_new(): number;
    _fvad_free(handle: number): void;
    /** 0 (least aggressive) to 3 (most); returns -1 for another value. */
    _fvad_set_mode(handle: number, mode: number): number;
    /** 8000, 16000, 32000 or 48000; returns -1 for another rate. */
    _fvad_set_sample_rate(handle: number, sampleRate: number): number;
    /** 1 for speech, 0 for none, -1 for a frame that is not 10, 20 or 30 ms. */
    _fvad_process(handle: number, samples: number, length: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** Replaced when the heap grows: read it afresh after an allocation. */
    HEAP16: Int16Array;
  };
  const createFvadModule: () => Promise<FvadModule>;
  export default createFvadModule;
}
