/**
 * Turns ONNX Runtime's telemetry off before onnxruntime-node loads. On Linux, ONNX Runtime 1.30 starts
 * Microsoft's telemetry in every process that creates a session: it writes a device id and a database
 * under `~/.cache/Microsoft`, leaves a `mat-debug-<pid>.log` in the temporary folder, tries HTTPS
 * uploads, and crashes session creation (SIGSEGV) when the process command line is longer than about
 * 30 KB. A library that chatbot backends embed must not phone home or write outside the user's
 * folders, so Recur sets `ORT_DISABLE_TELEMETRY=1` unless the user set the variable themselves.
 *
 * This module is imported for its side effect, first, by every module that imports onnxruntime-node
 * (through `./onnxruntime.js`), so it runs before ONNX Runtime's native library is loaded. Worker
 * threads inherit the variable from the thread that starts them.
 */
if (process.env['ORT_DISABLE_TELEMETRY'] === undefined) process.env['ORT_DISABLE_TELEMETRY'] = '1';

export {};
