// RUN: %check_kmark %s kmark-missing-write-once %t --config MinConfidence=0 -- %kernel_flags
// An object this function links where its readers find it on every path
// that does not return an error is init before the link: a path that
// returns an error leaves it unpublished and unwinds it (a driver's setup
// that fills in its device, fails an allocation with `goto err`, and
// registers the device last).  An error is a negative constant, an
// ERR_PTR(), or a local set to a negative constant, or found non-zero or
// negative by an `if`, and returned unchanged.  A path that returns
// success without the link still makes the store reachable.
#include <linux/lock.h>
#include <linux/list.h>

#define ENOMEM 12
#define EINVAL 22

void *ERR_PTR(long error);

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
	list_add(&p->node, &ports);
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
	list_add(&p->node, &ports);
	return 0;
}

/* An error pointer. */
struct port *port_create(struct port *p, int mode)
{
	p->mode = mode;
	if (!p->buf)
		return ERR_PTR(-ENOMEM);
	list_add(&p->node, &ports);
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
	list_add(&p->node, &ports);
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
	list_add(&p->node, &ports);
out:
	return err;
}
