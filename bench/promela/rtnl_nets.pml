/*
 * Promela twin of specs/bench/scale-{sorted,unsorted}.json, step for step: every visible step of lockcheck's
 * compiled model (`lockcheck check --dump ir`) is one SPIN transition, and nothing else is.
 *
 * P rtnetlink writers, N netns; each writer picks three netns (any, repeats allowed), collects the distinct
 * ones (sorted by rtnl_net_cmp_locks() when SORTED, in pick order otherwise), locks them one by one, then
 * unlocks them. After the conversion: no global RTNL.
 *
 * Build: spin -a -DN=4 -DP=3 -DSORTED=1 [-DRESET_DEAD=1] rtnl_nets.pml   (1 <= N <= 8)
 *
 * lockcheck's steps per writer, and their twins here:
 *   pick a, pick b        an `if` with one option per netns: one transition each (SPIN's select() is a loop)
 *   pick c                one option per netns, each a d_step that picks c and runs the collection
 *                         (rtnl_nets_init, rtnl_nets_add x3: thread-local, lockcheck folds it into pick c)
 *   lock net[nets[i]]     one atomic per acquisition; the loop control (i++, i < cnt, the jump to the unlock
 *                         loop) runs inside it, as lockcheck folds it into the acquisition
 *   unlock net[nets[i]]   the same; the last one also forgets the dead locals, as lockcheck does
 *   end                   lockcheck's thread ends with its last unlock; here the writer then blocks at a
 *                         valid end state (end_done), so that SPIN's process deletion (last pid first) adds
 *                         no states
 * The processes are `active`, so SPIN has no init process and no extra initial state.
 *
 * State: lockcheck keeps the thread locals a, b, c until the thread ends (they are dead after the collection,
 * but lockcheck forgets only procedure locals); nets, cnt and i are functions of a, b, c and the step, so the
 * two state spaces are the same, state for state. RESET_DEAD=1 is the twin a careful SPIN user would write:
 * a, b and c are reset once the collection has used them, so writers that picked the same netns set in
 * different orders meet in one state. Promela has no symmetry reduction: the P writers are not folded.
 */
#ifndef N
#define N 3
#endif
#ifndef P
#define P 2
#endif
#ifndef SORTED
#define SORTED 1
#endif
#ifndef RESET_DEAD
#define RESET_DEAD 0
#endif
#if N < 1 || N > 8
#error "1 <= N <= 8"
#endif

bit net_mutex[N];	/* net->rtnl_mutex */

/* rtnl_nets_add() for the slot k: compare with nets[k] (a step of the bubble sort, unrolled for the d_step) */
inline cmp_slot(k) {
	if
	:: !dup && k < cnt && nets[k] == n -> dup = 1
	:: !dup && k < cnt && nets[k] != n && SORTED && n < nets[k] -> tmp = nets[k]; nets[k] = n; n = tmp
	:: else -> skip
	fi
}

/* rtnl_nets_add() (SORTED) or append_distinct(): bubble the new netns into place, refuse a duplicate */
inline add(v) {
	n = v;
	dup = 0;
	cmp_slot(0);
	cmp_slot(1);
	cmp_slot(2);
	if
	:: !dup -> nets[cnt] = n; cnt++
	:: else -> skip
	fi
}

/* the collection, run in pick c's d_step; the procedure locals n, tmp, dup are dead after it */
inline collect() {
	add(a);
	add(b);
	add(c);
	n = 0;
	tmp = 0;
	dup = 0;
	i = 0;
#if RESET_DEAD
	a = 0;
	b = 0;
	c = 0;
#endif
}

#define PICK(v, k)	:: v = k
#define PICK_C(k)	:: d_step { c = k; collect() }

active [P] proctype writer() {
	byte a, b, c, n, i, tmp, cnt;
	bit dup;
	byte nets[3];
	if
	PICK(a, 0)
#if N > 1
	PICK(a, 1)
#endif
#if N > 2
	PICK(a, 2)
#endif
#if N > 3
	PICK(a, 3)
#endif
#if N > 4
	PICK(a, 4)
#endif
#if N > 5
	PICK(a, 5)
#endif
#if N > 6
	PICK(a, 6)
#endif
#if N > 7
	PICK(a, 7)
#endif
	fi;
	if
	PICK(b, 0)
#if N > 1
	PICK(b, 1)
#endif
#if N > 2
	PICK(b, 2)
#endif
#if N > 3
	PICK(b, 3)
#endif
#if N > 4
	PICK(b, 4)
#endif
#if N > 5
	PICK(b, 5)
#endif
#if N > 6
	PICK(b, 6)
#endif
#if N > 7
	PICK(b, 7)
#endif
	fi;
	if
	PICK_C(0)
#if N > 1
	PICK_C(1)
#endif
#if N > 2
	PICK_C(2)
#endif
#if N > 3
	PICK_C(3)
#endif
#if N > 4
	PICK_C(4)
#endif
#if N > 5
	PICK_C(5)
#endif
#if N > 6
	PICK_C(6)
#endif
#if N > 7
	PICK_C(7)
#endif
	fi;
	/* rtnl_nets_lock(): cnt >= 1 (three picks give at least one netns) */
lock:
	atomic {
		net_mutex[nets[i]] == 0 -> net_mutex[nets[i]] = 1;
		i++;
		if
		:: i < cnt -> goto lock
		:: else -> i = 0
		fi
	}
	/* rtnl_nets_unlock() */
unlock:
	atomic {
		net_mutex[nets[i]] = 0;
		i++;
		if
		:: i < cnt -> goto unlock
		:: else -> i = 0; cnt = 0; nets[0] = 0; nets[1] = 0; nets[2] = 0
		fi
	}
end_done:
	false
}
