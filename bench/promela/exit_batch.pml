/*
 * Promela twin of specs/kernel/exit-batch-unregister.json: default_device_exit_batch() holds init_net and
 * the dying net1 and net2 (in cmp order: net2 first) while it unregisters their devices; eth0's macvlan
 * upper lives in net3 and is queued for net3's work; a writer locks {init_net, net3}.
 */
bit init_net, net1, net2, net3;	/* net->rtnl_mutex */
bit alive0 = 1, alive1 = 1, alive2 = 1;
bit listlock, queued2, pending3;

active proctype cleanup_net() {
	atomic { init_net == 0 -> init_net = 1 };
	atomic { net2 == 0 -> net2 = 1 };
	atomic { net1 == 0 -> net1 = 1 };
	/* unregister_netdevice_many(): eth0 (its macvlan upper in net3 is deferred), then eth1 */
	if
	:: alive2 ->
		atomic { listlock == 0 -> listlock = 1 };
		queued2 = 1;
		listlock = 0;
		pending3 = 1
	:: else -> skip
	fi;
	alive0 = 0;
	alive1 = 0;
	net2 = 0;
	net1 = 0;
	init_net = 0
}

active proctype writer() {
	atomic { init_net == 0 -> init_net = 1 };
	atomic { net3 == 0 -> net3 = 1 };
	init_net = 0;
	net3 = 0
}

active proctype kworker_net3() {
end:	do
	:: atomic { pending3 -> pending3 = 0 };
		atomic { net3 == 0 -> net3 = 1 };
		atomic { listlock == 0 -> listlock = 1 };
		if
		:: queued2 -> queued2 = 0; alive2 = 0
		:: else -> skip
		fi;
		listlock = 0;
		net3 = 0
	od
}
