// What a deployment checks: the problems of a parsed BPMN file that refuse it, with the compiled
// executable processes. The deploy action and the coverage report (cli/bpmn-coverage.ts) both use
// this one function.
import {
  type ActionCheck,
  type CompiledProcess,
  compileProcess,
  type ParsedDefinitions,
  type Problem,
} from './model.js';

/** Every problem of the file's executable processes (none means it deploys), and each compiled. */
export function checkDeployment(
  parsed: ParsedDefinitions,
  hasAction: ActionCheck,
): { problems: Problem[]; compiled: Map<string, CompiledProcess> } {
  const executable = parsed.processes.filter((p) => p.executable);
  const problems: Problem[] = [];
  if (executable.length === 0)
    problems.push({
      elementId: null,
      elementType: 'bpmn:Definitions',
      name: null,
      message: 'No process is marked executable',
    });
  const compiled = new Map<string, CompiledProcess>();
  for (const p of executable) {
    const result = compileProcess(p.element, hasAction);
    problems.push(...result.problems);
    compiled.set(p.id, result.process);
  }
  return { problems, compiled };
}
