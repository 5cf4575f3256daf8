// RUN: %check_kmark %s kmark-missing-read-once %t --config MinConfidence=0 -- %kernel_flags
// A field whose address is a sysctl's .data is written by the entry's
// handler through that pointer, with WRITE_ONCE(), whenever the file is
// written (proc_dointvec() and friends): every plain read races with it.
// The table is a template, copied per device and rebased at registration:
// the key is the template's field.  A handler of the tree's own that calls
// proc_dointvec() under a lock writes under that lock; one kmark does not
// know counts less.
#include <linux/lock.h>
#include <linux/sysctl.h>

struct devconf {
	int forwarding;
	int hop_limit;
	int mtu;
};

struct netdev {
	struct devconf cnf;
};

static struct devconf devconf_template;
static spinlock_t conf_lock;

static int hop_limit_handler(const struct ctl_table *table, int write,
			     void *buffer, unsigned long *lenp, long long *ppos)
{
	int ret;

	spin_lock(&conf_lock);
	ret = proc_dointvec(table, write, buffer, lenp, ppos);
	spin_unlock(&conf_lock);
	return ret;
}

int opaque_handler(const struct ctl_table *table, int write, void *buffer,
		   unsigned long *lenp, long long *ppos);

static struct ctl_table devconf_table[] = {
	{
		.procname = "forwarding",
		.data = &devconf_template.forwarding,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = proc_dointvec,
	},
	{
		.procname = "hop_limit",
		.data = &devconf_template.hop_limit,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = hop_limit_handler,
	},
	{
		.procname = "mtu",
		.data = &devconf_template.mtu,
		.maxlen = sizeof(int),
		.mode = 0644,
		.proc_handler = opaque_handler,
	},
};

struct ctl_table *devconf_sysctl_template(void)
{
	return devconf_table;
}

int netdev_forwarding(struct netdev *dev)
{
	return dev->cnf.forwarding;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'devconf::forwarding' races with proc_dointvec(), which writes it through a sysctl's ctl_table.data with WRITE_ONCE() (confidence: medium, 50) [kmark-missing-read-once]
	// CHECK-MESSAGES: :42:11: note: sysctl 'forwarding': proc_dointvec() writes 'devconf_template.forwarding' through ctl_table.data with WRITE_ONCE()
	// CHECK-FIXES: return READ_ONCE(dev->cnf.forwarding);
}

int netdev_hop_limit(struct netdev *dev)
{
	return dev->cnf.hop_limit;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'devconf::hop_limit' races with hop_limit_handler(), which writes it through a sysctl's ctl_table.data with WRITE_ONCE() (confidence: medium, 50) [kmark-missing-read-once]
	// CHECK-MESSAGES: :49:11: note: sysctl 'hop_limit': hop_limit_handler() writes 'devconf_template.hop_limit' through ctl_table.data with WRITE_ONCE() in proc_dointvec()
	// CHECK-FIXES: return READ_ONCE(dev->cnf.hop_limit);
}

int netdev_hop_limit_locked(struct netdev *dev)
{
	int v;

	spin_lock(&conf_lock);
	v = dev->cnf.hop_limit;
	spin_unlock(&conf_lock);
	return v;
}

int netdev_mtu(struct netdev *dev)
{
	return dev->cnf.mtu;
	// CHECK-MESSAGES: :[[@LINE-1]]:9: warning: plain load of 'devconf::mtu' races with opaque_handler(), which writes it through a sysctl's ctl_table.data; no lock is visibly held in netdev_mtu() (confidence: low, 20) [kmark-missing-read-once]
	// CHECK-MESSAGES: :56:11: note: sysctl 'mtu': opaque_handler() writes 'devconf_template.mtu' through ctl_table.data and kmark does not know if it marks the write
	// CHECK-FIXES: return READ_ONCE(dev->cnf.mtu);
}

/* A read-only entry (mode 0444): proc_dointvec() only reads the field, so
 * the table gives it no writer and its plain reads are no finding. */
struct pool_stats {
	int entropy_avail;
};

static struct pool_stats pool_stats;

static struct ctl_table pool_table[] = {
	{
		.procname = "entropy_avail",
		.data = &pool_stats.entropy_avail,
		.maxlen = sizeof(int),
		.mode = 0444,
		.proc_handler = proc_dointvec,
	},
};

struct ctl_table *pool_sysctl_table(void)
{
	return pool_table;
}

int pool_entropy(struct pool_stats *s)
{
	return s->entropy_avail;
}
