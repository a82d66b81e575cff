'use strict';
// The peer the worker benchmark compares with: the smallest honest Open Inference Protocol (V2)
// JSON server on onnxruntime-node. One session, default session options (as the worker's), no
// batching, no metrics, no limits: what a team would write in an afternoon.
//
//   node server.js --model PATH [--name NAME] [--port 0] [--host 127.0.0.1]
//
// Prints `listening <port>` once the model is loaded and the port is open.

const http = require('node:http');
const path = require('node:path');
const ort = require('onnxruntime-node');

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

const modelPath = option('model');
if (!modelPath) {
  console.error('server.js: --model PATH is required');
  process.exit(2);
}

const modelName = option('name', path.basename(modelPath, '.onnx'));
const port = Number(option('port', '0'));
const host = option('host', '127.0.0.1');

// V2 datatype -> [onnxruntime-node tensor type, typed array, converts a JSON number].
const datatypes = {
  FP32: ['float32', Float32Array, Number],
  FP64: ['float64', Float64Array, Number],
  INT8: ['int8', Int8Array, Number],
  INT16: ['int16', Int16Array, Number],
  INT32: ['int32', Int32Array, Number],
  INT64: ['int64', BigInt64Array, BigInt],
  UINT8: ['uint8', Uint8Array, Number],
  UINT16: ['uint16', Uint16Array, Number],
  UINT32: ['uint32', Uint32Array, Number],
  UINT64: ['uint64', BigUint64Array, BigInt],
  BOOL: ['bool', Uint8Array, (v) => (v ? 1 : 0)],
};
const v2Names = Object.fromEntries(Object.entries(datatypes).map(([v2, [ort]]) => [ort, v2]));

class BadRequest extends Error {}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function toTensor(input) {
  const type = datatypes[input.datatype];
  if (!type) {
    throw new BadRequest(`input '${input.name}': unsupported datatype '${input.datatype}'`);
  }
  const [ortType, ArrayType, convert] = type;
  const data = Array.isArray(input.data) && Array.isArray(input.data[0]) ? input.data.flat(Infinity) : input.data;
  const count = input.shape.reduce((a, b) => a * b, 1);
  if (!Array.isArray(data) || data.length !== count) {
    throw new BadRequest(`input '${input.name}': shape [${input.shape}] needs ${count} elements`);
  }
  const values = new ArrayType(count);
  for (let i = 0; i < count; i++) {
    values[i] = convert(data[i]);
  }
  return new ort.Tensor(ortType, values, input.shape);
}

function fromTensor(name, tensor) {
  const data = new Array(tensor.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = tensor.data[i];
    data[i] = typeof v === 'bigint' ? Number(v) : v;
  }
  return { name, datatype: v2Names[tensor.type] ?? tensor.type, shape: tensor.dims, data };
}

async function infer(session, body) {
  let request;
  try {
    request = JSON.parse(body);
  } catch (e) {
    throw new BadRequest(`malformed JSON: ${e.message}`);
  }
  if (!Array.isArray(request.inputs)) {
    throw new BadRequest("'inputs' must be an array");
  }
  const feeds = {};
  for (const input of request.inputs) {
    feeds[input.name] = toTensor(input);
  }
  const wanted = Array.isArray(request.outputs) && request.outputs.length > 0
    ? request.outputs.map((o) => o.name)
    : session.outputNames;
  const results = await session.run(feeds, wanted);
  const response = { model_name: modelName, model_version: '1', outputs: wanted.map((n) => fromTensor(n, results[n])) };
  if (request.id !== undefined) {
    response.id = request.id;
  }
  return response;
}

async function main() {
  const session = await ort.InferenceSession.create(modelPath);
  const inferPath = `/v2/models/${modelName}/infer`;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/v2/health/ready' || req.url === '/v2/health/live')) {
      send(res, 200, { ready: true });
      return;
    }
    if (req.method !== 'POST' || req.url !== inferPath) {
      send(res, 404, { error: `no such endpoint: ${req.method} ${req.url}` });
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      infer(session, Buffer.concat(chunks).toString('utf8')).then(
        (response) => send(res, 200, response),
        (e) => send(res, e instanceof BadRequest ? 400 : 500, { error: e.message }));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, host, () => {
    console.log(`listening ${server.address().port}`);
  });
}

main().catch((e) => {
  console.error(`server.js: ${e.message}`);
  process.exit(1);
});
