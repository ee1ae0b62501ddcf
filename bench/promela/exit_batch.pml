/*
 * Promela twin of specs/kernel/exit-batch-unregister.json (after the conversion, NDEV = 3), step for step as
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

/* unregister_netdevice_many(): the notifiers for device d if it is in the kill list, then d is gone */
inline unregister(d) {
	if
	:: kill & (1 << (d)) ->
		macvlan_event(0, d);
		macvlan_event(1, d);
		macvlan_event(2, d);
		dev_alive[d] = 0
	:: else
	fi
}

/* unregister_netdevice_queue(): device d goes on the kill list if it lives and its netns is dying */
inline queue(d) {
	if
	:: dev_alive[d] && DYING(DEV_NET(d)) -> kill = kill | (1 << (d))
	:: else
	fi
}

active proctype cleanup_net() {
	byte kill;
	atomic { net[INIT_NET] == 0 -> net[INIT_NET] = 1 };
	atomic { net[NET2] == 0 -> net[NET2] = 1 };
	atomic { net[NET1] == 0 -> net[NET1] = 1 };
	queue(0);
	queue(1);
	queue(2);
	unregister(0);
	unregister(1);
	unregister(2);
	net[NET2] = 0;
	net[NET1] = 0;
	net[INIT_NET] = 0
}

active proctype writer() {
	atomic { net[INIT_NET] == 0 -> net[INIT_NET] = 1 };
	atomic { net[NET3] == 0 -> net[NET3] = 1 };
	net[INIT_NET] = 0;
	net[NET3] = 0
}

/* netns_unreg_work_fn(n): one worker per netns, idle until its work is queued */
active [4] proctype kworker() {
	byte n = _pid - 2;
	byte todo;
end:	do
	:: atomic { pending[n] -> pending[n] = 0 };
		atomic { net[n] == 0 -> net[n] = 1 };
		atomic { unreg_list_lock == 0 -> unreg_list_lock = 1 };
		todo = unreg_list;
		if
		:: (todo & 1) && DEV_NET(0) == n -> unreg_list = unreg_list & ~1
		:: (todo & 1) && DEV_NET(0) != n
		:: else
		fi;
		if
		:: (todo & 2) && DEV_NET(1) == n -> unreg_list = unreg_list & ~2
		:: (todo & 2) && DEV_NET(1) != n
		:: else
		fi;
		if
		:: (todo & 4) && DEV_NET(2) == n -> unreg_list = unreg_list & ~4
		:: (todo & 4) && DEV_NET(2) != n
		:: else
		fi;
		unreg_list_lock = 0;
		if
		:: (todo & 1) && DEV_NET(0) == n && dev_alive[0] -> dev_alive[0] = 0
		:: (todo & 1) && !(DEV_NET(0) == n && dev_alive[0])
		:: else
		fi;
		if
		:: (todo & 2) && DEV_NET(1) == n && dev_alive[1] -> dev_alive[1] = 0
		:: (todo & 2) && !(DEV_NET(1) == n && dev_alive[1])
		:: else
		fi;
		if
		:: (todo & 4) && DEV_NET(2) == n && dev_alive[2] -> dev_alive[2] = 0
		:: (todo & 4) && !(DEV_NET(2) == n && dev_alive[2])
		:: else
		fi;
		net[n] = 0
	od
}
