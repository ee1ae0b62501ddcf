/*
 * Promela twin of bench/models/kernel/macvlan-unregister-{broken,fixed}.json (frozen copies; after the conversion, NDEV = 2), step
 * for step: every statement that touches shared state below is one visible step of lockcheck's compiled model
 * (a lock, an unlock, a read or write of a shared var, a queue_work, a worker's wake-up), in the same order,
 * with the thread-local computation around it folded in as lockcheck folds it. Loops over the NDEV devices are
 * unrolled; the writer's netns set (rtnl_nets_add's bubble sort, thread-local) is its result, {net2, net1}.
 *
 * RTM_DELLINK of eth0 (ifindex 0, in net1) whose macvlan upper (ifindex 1) lives in net2, against a writer
 * locking {net1, net2} in cmp order (net2 first), with the per-netns unregistration workers idle.
 * FIXED=0 (macvlan_device_event_lock_upper): the notifier takes net2's RTNL under net1's.
 * FIXED=1 (macvlan_device_event_defer): it queues the upper for net2's unregistration work instead.
 */
#ifndef FIXED
#define FIXED 0
#endif
#define INIT_NET 0
#define NET1 1
#define NET2 2
#define MACVLAN 2

bit net[3];				/* net->rtnl_mutex of init_net, net1, net2 */
bit dev_alive[2] = 1;
byte dev_net0 = NET1, dev_net1 = NET2;	/* dev_net[] */
short dev_link0 = -1, dev_link1 = 0;	/* dev_link[] */
byte dev_kind0 = 1, dev_kind1 = MACVLAN;	/* dev_kind[] */
bit unreg_list_lock;
byte unreg_list;			/* a set of ifindexes, as a bitmask */
bit pending[3];				/* netns_unreg_work[net] queued */

#define DEV_NET(u)	((u) == 0 -> dev_net0 : dev_net1)
#define IS_UPPER(u, d)	(dev_alive[u] && ((u) == 0 -> dev_link0 : dev_link1) == (d) && ((u) == 0 -> dev_kind0 : dev_kind1) == MACVLAN)

/* NETDEV_UNREGISTER of device d, for its possible upper u */
#if FIXED
inline macvlan_event(u, d) {
	if
	:: IS_UPPER(u, d) ->
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
#else
inline macvlan_event(u, d) {
	if
	:: IS_UPPER(u, d) ->
		n2 = DEV_NET(u);
		if
		:: n2 != DEV_NET(d) -> atomic { net[n2] == 0 -> net[n2] = 1 }
		:: else
		fi;
		dev_alive[u] = 0;
		if
		:: n2 != DEV_NET(d) -> net[n2] = 0
		:: else
		fi
	:: else
	fi
}
#endif

active proctype dellink() {
	byte n, n2;
	n = dev_net0;
	atomic { net[n] == 0 -> net[n] = 1 };
	if
	:: dev_alive[0] ->	/* __dev_get_by_index(0) found it: unregister_netdevice(eth0) */
		assert(net[DEV_NET(0)]);	/* unregister_netdevice()'s assert_held: one visible step in lockcheck */
		macvlan_event(0, 0);
		macvlan_event(1, 0);
		dev_alive[0] = 0
	:: else
	fi;
	net[n] = 0
}

active proctype writer() {
	atomic { net[NET2] == 0 -> net[NET2] = 1 };
	atomic { net[NET1] == 0 -> net[NET1] = 1 };
	net[NET2] = 0;
	net[NET1] = 0
}

/*
 * netns_unreg_work_fn(n): one worker per netns, idle until its work is queued. lockcheck's `foreach d in todo`
 * picks the next device thread-locally, so the pick is folded into the step before it (NEXT): a device not in
 * todo costs no step, as in lockcheck. todo, rest and d are forgotten when the work returns, as lockcheck does.
 */
#define NEXT(body, done) \
	if \
	:: rest & 1 -> d = 0; rest = rest & ~1; goto body \
	:: (rest & 3) == 2 -> d = 1; rest = 0; goto body \
	:: else -> d = 0; goto done \
	fi

active [3] proctype kworker() {
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
