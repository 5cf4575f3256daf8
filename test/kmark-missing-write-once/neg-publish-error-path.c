// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// An object this function registers where its readers find it on every
// path that does not return an error is init before the registration: a
// path that returns an error leaves it unregistered and unwinds it (a
// driver's setup that fills in its device, fails an allocation with
// `goto err`, and registers the device last).  An error is a negative
// constant, an ERR_PTR(), or a local set to a negative constant, or found
// non-zero or negative by an `if`, and returned unchanged.  A path that
// returns success without the registration still makes the store
// reachable, and so does an error path before a list link: a list may
// take an object that is live already (-EBUSY: it is linked).
#include <linux/lock.h>
#include <linux/list.h>

#define ENOMEM 12
#define EINVAL 22

void *ERR_PTR(long error);
int misc_register(void *dev);

struct list_head ports;

struct port {
	struct list_head node;
	int mode;
	int mtu;
	void *buf;
};

int port_alloc_buf(struct port *p);

int port_mode(struct port *p)
{
	return READ_ONCE(p->mode) + READ_ONCE(p->mtu);
}

/* err = -ENOMEM; goto out; ... out: return err; */
int port_setup(struct port *p, int mode)
{
	int err;

	p->mode = mode;
	if (!p->buf) {
		err = -ENOMEM;
		goto out;
	}
	err = port_alloc_buf(p);
	if (err)
		goto out;
	p->mtu = 1500;
	misc_register(p);
	return 0;
out:
	return err;
}

/* A negative constant returned directly. */
int port_setup_direct(struct port *p, int mode)
{
	p->mode = mode;
	if (mode < 0)
		return -EINVAL;
	misc_register(p);
	return 0;
}

/* An error pointer. */
struct port *port_create(struct port *p, int mode)
{
	p->mode = mode;
	if (!p->buf)
		return ERR_PTR(-ENOMEM);
	misc_register(p);
	return p;
}

/* Success without the link: p may be on the list already. */
int port_update(struct port *p, int mode, int linked)
{
	p->mode = mode;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'port::mode' races with lockless reader port_mode() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->mode, mode);
	if (linked)
		return 0;
	misc_register(p);
	return 0;
}

/* The error is overwritten before the return: not an error path. */
int port_retry(struct port *p, int mode)
{
	int err = -ENOMEM;

	p->mtu = mode;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'port::mtu' races with lockless reader port_mode() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->mtu, mode);
	if (!p->buf) {
		err = 0;
		goto out;
	}
	misc_register(p);
out:
	return err;
}

/* A list link after an error return: p may be linked already. */
int port_link(struct port *p, int mode, int linked)
{
	p->mode = mode;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'port::mode' races with lockless reader port_mode() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(p->mode, mode);
	if (linked)
		return -EINVAL;
	list_add(&p->node, &ports);
	return 0;
}
