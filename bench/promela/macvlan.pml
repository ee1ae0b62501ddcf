/*
 * Promela twin of specs/kernel/macvlan-unregister-{broken,fixed}.json (after the conversion, NDEV = 2):
 * RTM_DELLINK of eth0 in net1 whose macvlan upper (ifindex 1) lives in net2, against a writer locking
 * {net1, net2} in cmp order (net2 first). FIXED=0: the notifier takes net2's RTNL under net1's.
 * FIXED=1: it queues the upper for net2's unregistration work instead.
 */
#ifndef FIXED
#define FIXED 0
#endif

bit net1, net2;			/* net->rtnl_mutex */
bit alive0 = 1, alive1 = 1;	/* dev_alive[] */
bit listlock, queued1, pending2;	/* unreg_list_lock, unreg_list, the work of net2 */

active proctype dellink() {
	atomic { net1 == 0 -> net1 = 1 };
	/* unregister_netdevice(eth0) -> NETDEV_UNREGISTER -> macvlan_device_event() */
	if
	:: alive1 && !FIXED ->
		atomic { net2 == 0 -> net2 = 1 };
		alive1 = 0;
		net2 = 0
	:: alive1 && FIXED ->
		atomic { listlock == 0 -> listlock = 1 };
		queued1 = 1;
		listlock = 0;
		pending2 = 1
	:: else -> skip
	fi;
	alive0 = 0;
	net1 = 0
}

active proctype writer() {
	atomic { net2 == 0 -> net2 = 1 };
	atomic { net1 == 0 -> net1 = 1 };
	net2 = 0;
	net1 = 0
}

active proctype kworker_net2() {
	/* netns_unreg_work_fn(net2): idle until queued */
end:	do
	:: atomic { pending2 -> pending2 = 0 };
		atomic { net2 == 0 -> net2 = 1 };
		atomic { listlock == 0 -> listlock = 1 };
		if
		:: queued1 -> queued1 = 0; alive1 = 0
		:: else -> skip
		fi;
		listlock = 0;
		net2 = 0
	od
}
