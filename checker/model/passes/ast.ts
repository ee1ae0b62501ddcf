// The tagged AST the compiler's passes work on: a spec's statements, keyed in JSON by which member they
// have ("lock", "for", ...), become nodes with a `kind`, and the lock shorthand ("L(A) T(B) U(B)") becomes
// the same lock, trylock and unlock nodes as the structured statements. Every piece of text keeps its JSON
// pointer and its offset inside the string, so an error points at the exact character.
import { LocalDecl } from '../../spec/types';

/** A piece of spec text: an expression, a lock reference or an lvalue, and where it is written. */
export interface Text {
  src: number | string;
  pointer: string;
  /** offset of src inside the string at pointer (0 for a whole member; shorthand steps are inside one) */
  at: number;
}

/** Where a statement is written: its JSON pointer, and for a shorthand step its offset in the string. */
export interface Where {
  pointer: string;
  at?: number;
}

interface Node {
  where: Where;
}

export type AstStmt = Node &
  (
    | {
        kind: 'lock';
        lock: Text;
        read: boolean;
        subclass: number;
        nest?: Text;
        /** written as a shorthand step (errors then name the shorthand) */
        shorthand: boolean;
        text: string;
      }
    | {
        kind: 'trylock';
        lock: Text;
        /** the local that receives 1 or 0 */
        into?: { name: string; pointer: string };
        /** shorthand T(X): the id its matching U(X) names in `closesTry` */
        tryId?: number;
        shorthand: boolean;
        text: string;
      }
    | {
        kind: 'unlock';
        lock: Text;
        /** shorthand U(X) that closes a T(X): runs only if that trylock succeeded */
        closesTry?: number;
        shorthand: boolean;
        text: string;
      }
    | { kind: 'assign'; target: Text; value: Text }
    | { kind: 'if'; cond: Text; then: AstStmt[]; else: AstStmt[] }
    | { kind: 'choose'; branches: AstStmt[][] }
    | { kind: 'pick'; target: Text; from: Text }
    | { kind: 'for'; variable: Text; from: Text; to: Text; body: AstStmt[] }
    | { kind: 'foreach'; variable: Text; in: Text; body: AstStmt[] }
    | { kind: 'call'; proc: string; args: Text[]; into?: Text; hasArgs: boolean }
    | { kind: 'return'; value?: Text }
    | { kind: 'assert'; cond: Text; message?: string }
    | { kind: 'assert_held'; lock: Text }
    | { kind: 'rcu_read_lock' }
    | { kind: 'rcu_read_unlock' }
    | { kind: 'synchronize_rcu' }
    | { kind: 'srcu_read_lock'; srcu: Text }
    | { kind: 'srcu_read_unlock'; srcu: Text }
    | { kind: 'synchronize_srcu'; srcu: Text }
    | { kind: 'wait_until'; cond: Text }
    | { kind: 'call_notifiers'; chain: string; args: Text[] }
    | { kind: 'queue_work'; work: Text }
    /** flush_work() and cancel_work_sync(): two steps, the flush starts, then its wait ends */
    | { kind: 'flush_work' | 'cancel_work_sync'; work: Text; into?: { name: string; pointer: string } }
    /** wait_for_completion(), complete(), complete_all(), reinit_completion(): one step each */
    | { kind: CompletionKind; completion: Text }
  );

export type CompletionKind = 'wait_for_completion' | 'complete' | 'complete_all' | 'reinit_completion';
export const COMPLETION_KINDS: readonly CompletionKind[] = ['wait_for_completion', 'complete', 'complete_all', 'reinit_completion'];

export type AstKind = AstStmt['kind'];

/** A procedure or a thread body after normalisation. */
export interface AstProc {
  params: string[];
  byRef: string[];
  locals: Record<string, LocalDecl>;
  body: AstStmt[];
}

export interface AstThread {
  name: string;
  count?: number | string;
  locals: Record<string, LocalDecl>;
  /** the thread's "seq" (if any) followed by its "body" */
  body: AstStmt[];
}

/** The statement lists nested directly in s (branches and loop bodies). */
export function childBodies(s: AstStmt): AstStmt[][] {
  switch (s.kind) {
    case 'if':
      return [s.then, s.else];
    case 'choose':
      return s.branches;
    case 'for':
    case 'foreach':
      return [s.body];
    case 'lock':
    case 'trylock':
    case 'unlock':
    case 'assign':
    case 'pick':
    case 'call':
    case 'return':
    case 'assert':
    case 'assert_held':
    case 'rcu_read_lock':
    case 'rcu_read_unlock':
    case 'synchronize_rcu':
    case 'srcu_read_lock':
    case 'srcu_read_unlock':
    case 'synchronize_srcu':
    case 'wait_until':
    case 'call_notifiers':
    case 'queue_work':
    case 'flush_work':
    case 'cancel_work_sync':
    case 'wait_for_completion':
    case 'complete':
    case 'complete_all':
    case 'reinit_completion':
      return [];
  }
}

/** Every text of s (nested bodies excluded), each as what it is read as: an expression or a lock reference. */
export function textsOf(s: AstStmt): { text: Text; as: 'expr' | 'lockRef' }[] {
  const expr = (...ts: (Text | undefined)[]) => ts.filter((t): t is Text => t !== undefined).map((text) => ({ text, as: 'expr' as const }));
  const ref = (...ts: (Text | undefined)[]) => ts.filter((t): t is Text => t !== undefined).map((text) => ({ text, as: 'lockRef' as const }));
  switch (s.kind) {
    case 'lock':
      return ref(s.lock, s.nest);
    case 'trylock':
    case 'unlock':
    case 'assert_held':
      return ref(s.lock);
    case 'srcu_read_lock':
    case 'srcu_read_unlock':
    case 'synchronize_srcu':
      return ref(s.srcu);
    case 'queue_work':
    case 'flush_work':
    case 'cancel_work_sync':
      return ref(s.work);
    case 'wait_for_completion':
    case 'complete':
    case 'complete_all':
    case 'reinit_completion':
      return ref(s.completion);
    case 'assign':
      return expr(s.target, s.value);
    case 'if':
    case 'assert':
    case 'wait_until':
      return expr(s.cond);
    case 'pick':
      return expr(s.target, s.from);
    case 'for':
      return expr(s.variable, s.from, s.to);
    case 'foreach':
      return expr(s.variable, s.in);
    case 'call':
      return expr(...s.args, s.into);
    case 'call_notifiers':
      return expr(...s.args);
    case 'return':
      return expr(s.value);
    case 'choose':
    case 'rcu_read_lock':
    case 'rcu_read_unlock':
    case 'synchronize_rcu':
      return [];
  }
}
