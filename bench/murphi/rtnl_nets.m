-- Murphi twin of specs/bench/scale-{sorted,unsorted}.json for Rumur, step for step: each visible step of
-- lockcheck's compiled model (`lockcheck check --dump ir`) is one rule firing, and nothing else is.
-- P rtnetlink writers (a scalarset, so that Rumur's symmetry reduction folds the writers as lockcheck's thread
-- symmetry does), N netns; each writer picks three netns, collects the distinct ones (sorted when SORTED, in
-- pick order otherwise), locks them one by one, then unlocks them.
-- bench/murphi/murphi.ts rewrites the four constants below (Murphi has no preprocessor); Rumur's count must
-- equal `lockcheck check --no-por` (symmetry on), which bench/run.ts and test/differential/ check.
-- The state of a writer is lockcheck's: its step, its picks a, b, c (lockcheck keeps them until the thread
-- ends), and nets, cnt, i (functions of the picks and the step). The mutexes are booleans: their owner is a
-- function of the writers' states.

const
  N: 3;
  P: 2;
  SORTED: true;
  RESET_DEAD: false;

type
  net_t: 0 .. N - 1;
  writer_t: scalarset(P);
  pc_t: enum { PICK_A, PICK_B, PICK_C, LOCK, UNLOCK, DONE };
  writer_state: record
    pc: pc_t;
    a: net_t;
    b: net_t;
    c: net_t;
    nets: array [0 .. 2] of net_t;
    cnt: 0 .. 3;
    i: 0 .. 3;
  end;

var
  net_mutex: array [net_t] of boolean;
  w: array [writer_t] of writer_state;

-- rtnl_nets_add() (SORTED: bubble the new netns into place) or append_distinct(); refuses a duplicate
procedure add(var s: writer_state; v: net_t);
var n: net_t; tmp: net_t; dup: boolean;
begin
  n := v;
  dup := false;
  for k: 0 .. 2 do
    if !dup & k < s.cnt then
      if s.nets[k] = n then
        dup := true;
      elsif SORTED & n < s.nets[k] then
        tmp := s.nets[k]; s.nets[k] := n; n := tmp;
      endif;
    endif;
  endfor;
  if !dup then
    s.nets[s.cnt] := n;
    s.cnt := s.cnt + 1;
  endif;
end;

startstate
begin
  for k: net_t do net_mutex[k] := false; endfor;
  for p: writer_t do
    w[p].pc := PICK_A;
    w[p].a := 0; w[p].b := 0; w[p].c := 0;
    for k: 0 .. 2 do w[p].nets[k] := 0; endfor;
    w[p].cnt := 0;
    w[p].i := 0;
  endfor;
end;

ruleset p: writer_t; v: net_t do
  rule "pick a" w[p].pc = PICK_A ==>
  begin
    w[p].a := v;
    w[p].pc := PICK_B;
  end;

  rule "pick b" w[p].pc = PICK_B ==>
  begin
    w[p].b := v;
    w[p].pc := PICK_C;
  end;

  -- pick c, and the thread-local collection that lockcheck folds into it
  rule "pick c" w[p].pc = PICK_C ==>
  begin
    w[p].c := v;
    add(w[p], w[p].a);
    add(w[p], w[p].b);
    add(w[p], w[p].c);
    w[p].i := 0;
    if RESET_DEAD then
      w[p].a := 0; w[p].b := 0; w[p].c := 0;
    endif;
    w[p].pc := LOCK;
  end;
end;

ruleset p: writer_t do
  -- rtnl_nets_lock(): one acquisition, with the loop control lockcheck folds into it
  rule "lock" w[p].pc = LOCK & !net_mutex[w[p].nets[w[p].i]] ==>
  begin
    net_mutex[w[p].nets[w[p].i]] := true;
    w[p].i := w[p].i + 1;
    if w[p].i = w[p].cnt then
      w[p].i := 0;
      w[p].pc := UNLOCK;
    endif;
  end;

  -- rtnl_nets_unlock(); the last one forgets the dead locals, as lockcheck does
  rule "unlock" w[p].pc = UNLOCK ==>
  begin
    net_mutex[w[p].nets[w[p].i]] := false;
    w[p].i := w[p].i + 1;
    if w[p].i = w[p].cnt then
      w[p].i := 0;
      w[p].cnt := 0;
      for k: 0 .. 2 do w[p].nets[k] := 0; endfor;
      w[p].pc := DONE;
    endif;
  end;
end;

-- Every writer has ended: not a deadlock. This rule changes nothing, so the search runs with
-- --deadlock-detection stuck (a state with no enabled rule), and a stuck state is a real deadlock.
rule "all writers ended" forall p: writer_t do w[p].pc = DONE endforall ==>
begin
end;
