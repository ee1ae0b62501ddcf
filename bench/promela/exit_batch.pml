/*
 * Promela twin of bench/models/kernel/exit-batch-unregister.json (a frozen copy; after the conversion, NDEV = 3), step for step as
 * in macvlan.pml: every statement that touches shared state is one visible step of lockcheck's compiled model,
 * in the same order; loops over devices are unrolled, and the thread-local netns sets (rtnl_nets_add's bubble
 * sort) are given as their results.
 *
 * default_device_exit_batch() holds init_net and the dying net1 and net2 (in cmp order: net2 first) while it
 * unregisters their devices in a batch; eth0 (in net1) has a macvlan upper (ifindex 2) in net3, which
 * macvlan_device_event_defer() queues for net3's unregistration work; a writer locks {init_net, net3}.
 */
#define INIT_NET 0
#define NET1 1
#define NET2 2
#define NET3 3
#define MACVLAN 2

bit net[4];				/* net->rtnl_mutex of init_net, net1, net2, net3 */
bit dev_alive[3] = 1;
byte dev_net0 = NET1, dev_net1 = NET2, dev_net2 = NET3;
short dev_link0 = -1, dev_link1 = -1, dev_link2 = 0;
byte dev_kind0 = 1, dev_kind1 = 1, dev_kind2 = MACVLAN;
bit unreg_list_lock;
byte unreg_list;			/* a set of ifindexes, as a bitmask */
bit pending[4];				/* netns_unreg_work[net] queued */

#define DEV_NET(u)	((u) == 0 -> dev_net0 : ((u) == 1 -> dev_net1 : dev_net2))
#define DEV_LINK(u)	((u) == 0 -> dev_link0 : ((u) == 1 -> dev_link1 : dev_link2))
#define DEV_KIND(u)	((u) == 0 -> dev_kind0 : ((u) == 1 -> dev_kind1 : dev_kind2))
#define DYING(n)	((n) == NET1 || (n) == NET2)

/* macvlan_device_event_defer(NETDEV_UNREGISTER, d), for its possible upper u */
inline macvlan_event(u, d) {
	if
	:: dev_alive[u] && DEV_LINK(u) == (d) && DEV_KIND(u) == MACVLAN ->
		if
		:: DEV_NET(u) == DEV_NET(d) -> dev_alive[u] = 0
		:: else ->
			atomic { unreg_list_lock == 0 -> unreg_list_lock = 1 };
			unreg_list = unreg_list | (1 << (u));
			unreg_list_lock = 0;
			pending[DEV_NET(u)] = 1
		fi
	:: else
	fi
}

/*
 * `foreach d in set`: lockcheck picks the next member thread-locally, so the pick is folded into the step
 * before it (NEXT): a non-member costs no step, as in lockcheck. rest holds the members not yet visited.
 */
#define NEXT(body, done) \
	if \
	:: rest & 1 -> d = 0; rest = rest & ~1; goto body \
	:: (rest & 3) == 2 -> d = 1; rest = rest & ~2; goto body \
	:: (rest & 7) == 4 -> d = 2; rest = 0; goto body \
	:: rest == 0 -> d = 0; goto done \
	fi

/* unregister_netdevice_queue(): device k goes on the kill list if it lives and its netns is dying (one step) */
#define QUEUE(k) \
	if \
	:: atomic { dev_alive[k] && DYING(DEV_NET(k)) -> kill = kill | (1 << (k)) } \
	:: atomic { !(dev_alive[k] && DYING(DEV_NET(k))) -> skip } \
	fi

active proctype cleanup_net() {
	byte kill, rest, d;
	atomic { net[INIT_NET] == 0 -> net[INIT_NET] = 1 };
	atomic { net[NET2] == 0 -> net[NET2] = 1 };
	atomic { net[NET1] == 0 -> net[NET1] = 1 };
	QUEUE(0);
	QUEUE(1);
	/* the last queue step also picks the first device of the kill list */
	if
	:: atomic { dev_alive[2] && DYING(DEV_NET(2)) -> kill = kill | 4; rest = kill; NEXT(unregister, unlock) }
	:: atomic { !(dev_alive[2] && DYING(DEV_NET(2))) -> rest = kill; NEXT(unregister, unlock) }
	fi;
	/* unregister_netdevice_many(): for each d on the kill list, assert_held, the notifiers, then d is gone */
unregister:
	assert(net[DEV_NET(d)]);	/* assert_held(net[dev_net[d]]): one visible step in lockcheck */
	macvlan_event(0, d);
	macvlan_event(1, d);
	macvlan_event(2, d);
	atomic { dev_alive[d] = 0; NEXT(unregister, unlock) };
unlock:
	atomic { net[NET2] = 0; kill = 0 };
	net[NET1] = 0;
	net[INIT_NET] = 0
}

active proctype writer() {
	atomic { net[INIT_NET] == 0 -> net[INIT_NET] = 1 };
	atomic { net[NET3] == 0 -> net[NET3] = 1 };
	net[INIT_NET] = 0;
	net[NET3] = 0
}

/* netns_unreg_work_fn(n): one worker per netns, idle until its work is queued; todo, rest and d are forgotten
 * when the work returns, as lockcheck does */
active [4] proctype kworker() {
	byte n = _pid - 2;
	byte todo, rest, d;
end:	do
	:: atomic { pending[n] -> pending[n] = 0 };
		atomic { net[n] == 0 -> net[n] = 1 };
		atomic { unreg_list_lock == 0 -> unreg_list_lock = 1 };
		atomic { todo = unreg_list; rest = todo; NEXT(del_test, unlock_list) };
del_test:	/* if dev_net[d] == n: one step; the del from unreg_list another */
		if
		:: atomic { DEV_NET(d) == n -> skip };
			atomic { unreg_list = unreg_list & ~(1 << d); NEXT(del_test, unlock_list) }
		:: atomic { DEV_NET(d) != n -> NEXT(del_test, unlock_list) }
		fi;
unlock_list:
		atomic { unreg_list_lock = 0; rest = todo; NEXT(kill_test, unlock_net) };
kill_test:	/* if dev_net[d] == n && dev_alive[d]: one step; the write another */
		if
		:: atomic { DEV_NET(d) == n && dev_alive[d] -> skip };
			atomic { dev_alive[d] = 0; NEXT(kill_test, unlock_net) }
		:: atomic { !(DEV_NET(d) == n && dev_alive[d]) -> NEXT(kill_test, unlock_net) }
		fi;
unlock_net:
		atomic { net[n] = 0; todo = 0; rest = 0; d = 0 }
	od
}
