/*
 * Promela twin of specs/bench/scale-{sorted,unsorted}.json: P rtnetlink writers, N netns; each writer picks
 * three netns (any, repeats allowed), collects the distinct ones (sorted by rtnl_net_cmp_locks() when SORTED,
 * in pick order otherwise), locks them one by one, then unlocks them. After the conversion: no global RTNL.
 * Build: spin -a -DN=4 -DP=3 -DSORTED=1 rtnl_nets.pml
 * The collection runs in a d_step, as lockcheck merges thread-local steps into the next visible one.
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

bit net_mutex[N];	/* net->rtnl_mutex */

/* rtnl_nets_add() for the slot k: compare with nets[k] (a step of the bubble sort, unrolled for the d_step) */
inline cmp_slot(k) {
	if
	:: !dup && k < cnt && nets[k] == n -> dup = 1
	:: !dup && k < cnt && nets[k] != n && SORTED && n < nets[k] -> tmp = nets[k]; nets[k] = n; n = tmp
	:: else -> skip
	fi
}

inline add(v) {
	/* rtnl_nets_add(): bubble the new netns into place, refuse a duplicate (RTNL_NETS_MAX = 3) */
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

proctype writer() {
	byte a, b, c, n, i, tmp, cnt;
	bit dup;
	byte nets[3];
	select(a : 0 .. N - 1);
	select(b : 0 .. N - 1);
	select(c : 0 .. N - 1);
	skip;	/* select() ends in a jump, which may not land inside the d_step */
	d_step {
		cnt = 0;
		add(a);
		add(b);
		add(c);
		i = 0
	}
	/* rtnl_nets_lock() */
	do
	:: i < cnt -> atomic { net_mutex[nets[i]] == 0 -> net_mutex[nets[i]] = 1 }; i++
	:: else -> break
	od;
	/* rtnl_nets_unlock() */
	i = 0;
	do
	:: i < cnt -> net_mutex[nets[i]] = 0; i++
	:: else -> break
	od
}

init {
	byte k;
	atomic {
		k = 0;
		do
		:: k < P -> run writer(); k++
		:: else -> break
		od
	}
}
