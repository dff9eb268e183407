// A Node test-runner reporter that adds up, per test file, the time of its top-level tests and
// writes `{file: ms}` as JSON to its destination when the run ends (the runner lists the slowest).
export default async function* timings(source) {
  const perFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      perFile[event.data.file] = (perFile[event.data.file] ?? 0) + (event.data.details?.duration_ms ?? 0);
    }
  }
  yield JSON.stringify(perFile);
}
