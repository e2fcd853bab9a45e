/*
 * Copyright 2026 The Unbrick Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Generated from data/remediation.json by tools/remediation-strings.py: do not
 * edit. xgettext cannot read JSON, so the card texts reach translators from
 * here; UbCard translates them at run time. After changing the cards run
 *
 *   python3 tools/remediation-strings.py
 *
 * test-remediation checks that this list matches the cards, in order.
 */

#pragma once

#include <glib.h>

#ifndef N_
#define N_(String) (String)
#endif

/* clang-format off */
static const gchar *const ub_remediation_strings[] G_GNUC_UNUSED = {
	/* TRANSLATORS: remediation card “usb-connection”, title */
	N_("The connection to the device was lost"),
	/* TRANSLATORS: remediation card “usb-connection”, what it means */
	N_("The cable or the USB port lost contact while files were being sent. This is the most common reason a restore fails, and usually not a fault of the device."),
	/* TRANSLATORS: remediation card “usb-connection”, step 1 of 5 */
	N_("Use an Apple cable, or one certified for iPhone and iPad, that carries data. Some cheap cables can only charge."),
	/* TRANSLATORS: remediation card “usb-connection”, step 2 of 5 */
	N_("Plug the cable into a port on the computer itself, not into a hub, a keyboard or a monitor."),
	/* TRANSLATORS: remediation card “usb-connection”, step 3 of 5 */
	N_("If the computer has a USB 2 port, use that one. USB 3 ports are often blue inside; USB 2 ports are usually black or white."),
	/* TRANSLATORS: remediation card “usb-connection”, step 4 of 5 */
	N_("Unplug the cable at both ends, wait a few seconds, and plug it back in."),
	/* TRANSLATORS: remediation card “usb-connection”, step 5 of 5 */
	N_("Try again. An Update keeps your data, so try it before a Restore."),
	/* TRANSLATORS: remediation card “usb-connection”, what to try when the steps did not help */
	N_("If it fails the same way again, try another cable and another port, then a Restore from DFU mode."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, title */
	N_("The device is stuck on the Apple logo"),
	/* TRANSLATORS: remediation card “stuck-on-logo”, what it means */
	N_("It starts but never gets past the Apple logo, or it restarts again and again (a boot loop). iOS on it is damaged, but your photos and messages are usually still there, and an Update keeps them."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, step 1 of 4 */
	N_("Force restart it. Unbrick’s guide shows which buttons to press. Sometimes that is all it needs."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, step 2 of 4 */
	N_("If it is still stuck, connect it to this computer with a cable that carries data, and put it into Recovery Mode with Unbrick’s guide."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, step 3 of 4 */
	N_("Choose Update. It installs iOS again and keeps your photos, messages and apps."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, step 4 of 4 */
	N_("If the Update fails twice, choose Restore. It erases everything on the device, so it comes last."),
	/* TRANSLATORS: remediation card “stuck-on-logo”, what to try when the steps did not help */
	N_("If the Restore fails too, try it from DFU mode, then on another computer."),
	/* TRANSLATORS: remediation card “recovery-screen”, title */
	N_("The screen shows a computer and a cable"),
	/* TRANSLATORS: remediation card “recovery-screen”, what it means */
	N_("The device is in Recovery Mode: it is waiting for a computer to repair iOS. Some models also show the address support.apple.com/iphone/restore. Your data is still on it, and an Update keeps it."),
	/* TRANSLATORS: remediation card “recovery-screen”, step 1 of 4 */
	N_("Connect it to this computer with a cable that carries data, to a port on the computer itself."),
	/* TRANSLATORS: remediation card “recovery-screen”, step 2 of 4 */
	N_("Unbrick shows it in Recovery Mode. Choose Update. It installs iOS again and keeps your photos, messages and apps."),
	/* TRANSLATORS: remediation card “recovery-screen”, step 3 of 4 */
	N_("If the Update fails, try another cable and port, then Update once more."),
	/* TRANSLATORS: remediation card “recovery-screen”, step 4 of 4 */
	N_("If it still fails, choose Restore. It erases everything on the device, so it comes last."),
	/* TRANSLATORS: remediation card “recovery-screen”, what to try when the steps did not help */
	N_("If the Restore fails too, try it from DFU mode, then on another computer."),
	/* TRANSLATORS: remediation card “black-screen”, title */
	N_("The device won’t turn on"),
	/* TRANSLATORS: remediation card “black-screen”, what it means */
	N_("The screen stays black, or the device is frozen and doesn’t respond. An empty battery or a stuck iOS is the usual reason, and your data is usually still there."),
	/* TRANSLATORS: remediation card “black-screen”, step 1 of 4 */
	N_("Charge it for up to an hour with a charger and a cable you know work. Look into the charging port first: lint there can stop it from charging."),
	/* TRANSLATORS: remediation card “black-screen”, step 2 of 4 */
	N_("Force restart it. Unbrick’s guide shows which buttons to press; keep holding the last one until the Apple logo appears."),
	/* TRANSLATORS: remediation card “black-screen”, step 3 of 4 */
	N_("If it then stops at the Apple logo, put it into Recovery Mode and choose Update. It keeps your photos, messages and apps."),
	/* TRANSLATORS: remediation card “black-screen”, step 4 of 4 */
	N_("If the screen stays black, connect it to this computer anyway. A device in DFU mode has a black screen too, and Unbrick finds it."),
	/* TRANSLATORS: remediation card “black-screen”, what to try when the steps did not help */
	N_("If nothing helps, a Restore from DFU mode is the last thing to try; it erases everything. If no computer ever sees the device, it needs repair."),
	/* TRANSLATORS: remediation card “activation-lock”, title */
	N_("Activation Lock asks for an Apple Account"),
	/* TRANSLATORS: remediation card “activation-lock”, what it means */
	N_("Activation Lock is Apple’s theft protection, on whenever Find My is on. It ties the device to the Apple Account (Apple ID) that was signed in on it: after a restore, the device asks for that account and its password before it can be used. Unbrick cannot and will not remove it."),
	/* TRANSLATORS: remediation card “activation-lock”, step 1 of 4 */
	N_("Before a Restore, make sure you know the Apple Account and password that are on the device. A Restore doesn’t remove Activation Lock."),
	/* TRANSLATORS: remediation card “activation-lock”, step 2 of 4 */
	N_("When the device asks, sign in with that account. If you forgot the password, reset it with Apple first."),
	/* TRANSLATORS: remediation card “activation-lock”, step 3 of 4 */
	N_("If the device was someone else’s, only they can remove the lock: they sign in at iCloud.com/find, choose the device, and choose Remove from Account."),
	/* TRANSLATORS: remediation card “activation-lock”, step 4 of 4 */
	N_("If the device is yours and you can’t sign in, Apple can remove the lock once you show that you own it, for example with the receipt. That erases everything on it."),
	/* TRANSLATORS: remediation card “activation-lock”, what to try when the steps did not help */
	N_("Unbrick can still restore a locked device, but it stays locked until the owner removes it."),
	/* TRANSLATORS: remediation card “activation-lock”, button that opens Apple’s page on it */
	N_("Apple Support: Activation Lock"),
	/* TRANSLATORS: remediation card “liquid-damage”, title */
	N_("The device got wet or was dropped"),
	/* TRANSLATORS: remediation card “liquid-damage”, what it means */
	N_("Liquid and hard knocks damage parts inside the device. A restore only repairs iOS: it can’t fix damaged hardware, and a Restore erases your data."),
	/* TRANSLATORS: remediation card “liquid-damage”, step 1 of 5 */
	N_("If it got wet, unplug every cable, and don’t charge it until the device and the cable are completely dry."),
	/* TRANSLATORS: remediation card “liquid-damage”, step 2 of 5 */
	N_("Tap it gently against your hand with the connector facing down, then leave it in a dry place with some airflow. Drying can take up to a day."),
	/* TRANSLATORS: remediation card “liquid-damage”, step 3 of 5 */
	N_("Don’t dry it with heat or compressed air, don’t push cotton swabs or paper into the connector, and don’t put it in rice. Apple warns that these can damage it."),
	/* TRANSLATORS: remediation card “liquid-damage”, step 4 of 5 */
	N_("If it still works, back it up now, before anything else."),
	/* TRANSLATORS: remediation card “liquid-damage”, step 5 of 5 */
	N_("A cracked screen, a bent case, or a device that still fails once it is dry needs repair, not a restore. Apple or an authorised service provider can check it."),
	/* TRANSLATORS: remediation card “liquid-damage”, what to try when the steps did not help */
	N_("Try a Restore only once the device is dry and backed up: it erases everything, and it can’t repair damaged parts."),
	/* TRANSLATORS: remediation card “liquid-damage”, button that opens Apple’s page on it */
	N_("Apple Support: Wet iPhone"),
	/* TRANSLATORS: remediation card “not-detected”, title */
	N_("The device is never detected"),
	/* TRANSLATORS: remediation card “not-detected”, what it means */
	N_("Unbrick has not seen the device with any cable or port. When no computer sees it, the device’s charging port or another part inside it usually needs repair."),
	/* TRANSLATORS: remediation card “not-detected”, step 1 of 4 */
	N_("Try every USB port on the computer itself, with at least two cables that carry data."),
	/* TRANSLATORS: remediation card “not-detected”, step 2 of 4 */
	N_("Look into the device’s charging port. Lint often collects there; remove it gently with a wooden toothpick."),
	/* TRANSLATORS: remediation card “not-detected”, step 3 of 4 */
	N_("Put the device into Recovery Mode or DFU mode with Unbrick’s guide. A device that doesn’t start may show up only in one of them."),
	/* TRANSLATORS: remediation card “not-detected”, step 4 of 4 */
	N_("Try another computer, if you can."),
	/* TRANSLATORS: remediation card “not-detected”, what to try when the steps did not help */
	N_("If no computer ever sees it, the port or another part of the device needs repair. Apple or an authorised service provider can check it."),
	/* TRANSLATORS: remediation card “usb-hub”, title */
	N_("The device is connected through a hub"),
	/* TRANSLATORS: remediation card “usb-hub”, what it means */
	N_("The device is plugged into a hub, a dock, a keyboard or a monitor rather than the computer itself. These often lose the device when it restarts during a restore."),
	/* TRANSLATORS: remediation card “usb-hub”, step 1 of 4 */
	N_("Unplug the cable from the hub, dock, keyboard or monitor."),
	/* TRANSLATORS: remediation card “usb-hub”, step 2 of 4 */
	N_("Plug it into a port on the computer itself."),
	/* TRANSLATORS: remediation card “usb-hub”, step 3 of 4 */
	N_("On a laptop with only USB-C ports, connect the device with a USB-C cable, or through one small adapter rather than a dock."),
	/* TRANSLATORS: remediation card “usb-hub”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “usbmuxd”, title */
	N_("The USB helper service isn’t running"),
	/* TRANSLATORS: remediation card “usbmuxd”, what it means */
	N_("Unbrick talks to iPhones and iPads through a small system service called usbmuxd. It didn’t answer, so the restore could not go on."),
	/* TRANSLATORS: remediation card “usbmuxd”, step 1 of 5; keep commands and file names as they are */
	N_("Make sure usbmuxd is installed. On Debian or Ubuntu, run: sudo apt install usbmuxd"),
	/* TRANSLATORS: remediation card “usbmuxd”, step 2 of 5; keep commands and file names as they are */
	N_("Restart it: sudo systemctl restart usbmuxd"),
	/* TRANSLATORS: remediation card “usbmuxd”, step 3 of 5 */
	N_("If you use Unbrick as a Flatpak, usbmuxd still has to be installed on the computer itself."),
	/* TRANSLATORS: remediation card “usbmuxd”, step 4 of 5 */
	N_("Unplug the device and plug it back in, so the service sees it again."),
	/* TRANSLATORS: remediation card “usbmuxd”, step 5 of 5 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “usbmuxd”, what to try when the steps did not help */
	N_("If it keeps failing, the usbmuxd of your system may be too old for this device. A newer version, from your distribution’s backports or built from the libimobiledevice project, usually helps."),
	/* TRANSLATORS: remediation card “usb-permission”, title */
	N_("This computer isn’t allowed to use the device"),
	/* TRANSLATORS: remediation card “usb-permission”, what it means */
	N_("The system did not let Unbrick open the device while it is in Recovery or DFU mode. The rules that allow it are missing. Nothing is wrong with the device."),
	/* TRANSLATORS: remediation card “usb-permission”, step 1 of 5; keep commands and file names as they are */
	N_("Install the device rules that come with libirecovery and usbmuxd. On Debian or Ubuntu, run: sudo apt install libirecovery-common usbmuxd"),
	/* TRANSLATORS: remediation card “usb-permission”, step 2 of 5 */
	N_("On other systems, install the libirecovery and usbmuxd packages."),
	/* TRANSLATORS: remediation card “usb-permission”, step 3 of 5 */
	N_("If you use Unbrick as a Flatpak, the rules must be installed on the computer itself; the app cannot bring them along."),
	/* TRANSLATORS: remediation card “usb-permission”, step 4 of 5 */
	N_("Unplug the device and plug it back in, so the new rules apply to it."),
	/* TRANSLATORS: remediation card “usb-permission”, step 5 of 5 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “usb-permission”, what to try when the steps did not help */
	N_("If the device still can’t be opened, log out and back in, or restart the computer."),
	/* TRANSLATORS: remediation card “flatpak-host”, title */
	N_("This computer needs a one-time setup for Unbrick"),
	/* TRANSLATORS: remediation card “flatpak-host”, what it means */
	N_("Unbrick runs as a Flatpak, in a sandbox that keeps it apart from the rest of the computer. Two things have to come from the computer itself: the service that talks to iPhones and iPads (usbmuxd), running before Unbrick starts and for the whole restore, and the rules that let you open a device in Recovery or DFU mode. Nothing is wrong with the device."),
	/* TRANSLATORS: remediation card “flatpak-host”, step 1 of 5; keep commands and file names as they are */
	N_("Install usbmuxd on the computer. On Debian or Ubuntu, run: sudo apt install usbmuxd"),
	/* TRANSLATORS: remediation card “flatpak-host”, step 2 of 5 */
	N_("Open a terminal and type the command Unbrick shows under the check that failed. It asks for your password, installs the device rules, and keeps usbmuxd running."),
	/* TRANSLATORS: remediation card “flatpak-host”, step 3 of 5 */
	N_("Unplug the iPhone or iPad and plug it back in."),
	/* TRANSLATORS: remediation card “flatpak-host”, step 4 of 5 */
	N_("Quit Unbrick and open it again, so that it sees the service."),
	/* TRANSLATORS: remediation card “flatpak-host”, step 5 of 5 */
	N_("Press Check Again."),
	/* TRANSLATORS: remediation card “flatpak-host”, what to try when the steps did not help */
	N_("If the checks still fail, restart the computer once; the rules and the service then start fresh."),
	/* TRANSLATORS: remediation card “signing-refused”, title */
	N_("Apple no longer allows this iOS version"),
	/* TRANSLATORS: remediation card “signing-refused”, what it means */
	N_("Apple’s server refused to approve this version for this device. Only versions Apple still signs can be installed. This is Apple’s rule; nothing is wrong with the device."),
	/* TRANSLATORS: remediation card “signing-refused”, step 1 of 3 */
	N_("Let Unbrick choose the iOS version. It always picks one that Apple still signs."),
	/* TRANSLATORS: remediation card “signing-refused”, step 2 of 3 */
	N_("If you chose a firmware file yourself, use the newest version for this model instead."),
	/* TRANSLATORS: remediation card “signing-refused”, step 3 of 3 */
	N_("If Unbrick picked the version, Apple’s servers may be having trouble. Wait an hour and try again."),
	/* TRANSLATORS: remediation card “signing-refused”, what to try when the steps did not help */
	N_("If even the newest version is refused, the restore tool may be too old for this device. Open Preferences and check Restore Tool."),
	/* TRANSLATORS: remediation card “signing-server”, title */
	N_("Apple’s server couldn’t be reached"),
	/* TRANSLATORS: remediation card “signing-server”, what it means */
	N_("Every restore needs approval from Apple over the internet, and the request did not get through."),
	/* TRANSLATORS: remediation card “signing-server”, step 1 of 4 */
	N_("Check that this computer is online: open a website in your browser."),
	/* TRANSLATORS: remediation card “signing-server”, step 2 of 4; keep commands and file names as they are */
	N_("Make sure the file /etc/hosts doesn’t send gs.apple.com anywhere else. Open it with sudoedit /etc/hosts and remove any line that mentions gs.apple.com."),
	/* TRANSLATORS: remediation card “signing-server”, step 3 of 4 */
	N_("Turn off a VPN or a proxy until the restore is done."),
	/* TRANSLATORS: remediation card “signing-server”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “signing-server”, what to try when the steps did not help */
	N_("If it still fails, try another network, such as the hotspot of another phone."),
	/* TRANSLATORS: remediation card “no-network”, title */
	N_("This computer is offline"),
	/* TRANSLATORS: remediation card “no-network”, what it means */
	N_("Unbrick needs the internet to download iOS and to ask Apple to approve the restore, and it couldn’t reach it."),
	/* TRANSLATORS: remediation card “no-network”, step 1 of 4 */
	N_("Check that Wi-Fi or the network cable is connected."),
	/* TRANSLATORS: remediation card “no-network”, step 2 of 4 */
	N_("Open a website in your browser to see whether the internet works."),
	/* TRANSLATORS: remediation card “no-network”, step 3 of 4 */
	N_("If you use a VPN or a proxy, turn it off for now."),
	/* TRANSLATORS: remediation card “no-network”, step 4 of 4 */
	N_("Try again once the computer is online."),
	/* TRANSLATORS: remediation card “no-network”, what to try when the steps did not help */
	N_("Firmware that was already downloaded is kept, but Apple’s approval always needs the internet."),
	/* TRANSLATORS: remediation card “security-software”, title */
	N_("Security software may be blocking Apple’s servers"),
	/* TRANSLATORS: remediation card “security-software”, what it means */
	N_("A firewall, an antivirus program or a filtering proxy can stop this computer from reaching Apple, or interrupt the restore."),
	/* TRANSLATORS: remediation card “security-software”, step 1 of 4 */
	N_("Allow connections to gs.apple.com, apple.com and cdn-apple.com in your firewall or filter."),
	/* TRANSLATORS: remediation card “security-software”, step 2 of 4 */
	N_("If that isn’t possible, turn the security software or proxy off until the restore is done, then turn it back on."),
	/* TRANSLATORS: remediation card “security-software”, step 3 of 4; keep commands and file names as they are */
	N_("Check that the file /etc/hosts has no line for gs.apple.com."),
	/* TRANSLATORS: remediation card “security-software”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “security-software”, what to try when the steps did not help */
	N_("If the same error comes back on another computer, the device itself may need service."),
	/* TRANSLATORS: remediation card “download”, title */
	N_("The iOS download didn’t finish"),
	/* TRANSLATORS: remediation card “download”, what it means */
	N_("The firmware could not be downloaded. Nothing was sent to the device."),
	/* TRANSLATORS: remediation card “download”, step 1 of 3 */
	N_("Check that this computer is online."),
	/* TRANSLATORS: remediation card “download”, step 2 of 3 */
	N_("Make sure there is enough free disk space. An iOS file takes several gigabytes."),
	/* TRANSLATORS: remediation card “download”, step 3 of 3 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “download”, what to try when the steps did not help */
	N_("If it stops again, try another network."),
	/* TRANSLATORS: remediation card “disk-space”, title */
	N_("This computer is out of disk space"),
	/* TRANSLATORS: remediation card “disk-space”, what it means */
	N_("The restore needs room to unpack the iOS file. The file alone takes several gigabytes, and unpacking it needs about as much again."),
	/* TRANSLATORS: remediation card “disk-space”, step 1 of 4 */
	N_("Empty the Trash and remove large files you no longer need from your home folder."),
	/* TRANSLATORS: remediation card “disk-space”, step 2 of 4 */
	N_("In Unbrick’s Preferences, under Storage, delete firmware you no longer need."),
	/* TRANSLATORS: remediation card “disk-space”, step 3 of 4; keep commands and file names as they are */
	N_("Check how much space is free in Files, or with: df -h ~"),
	/* TRANSLATORS: remediation card “disk-space”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “firmware-invalid”, title */
	N_("The firmware file can’t be used"),
	/* TRANSLATORS: remediation card “firmware-invalid”, what it means */
	N_("The iOS file is damaged or meant for another model."),
	/* TRANSLATORS: remediation card “firmware-invalid”, step 1 of 4 */
	N_("Let Unbrick download the firmware for this device instead of choosing a file yourself."),
	/* TRANSLATORS: remediation card “firmware-invalid”, step 2 of 4 */
	N_("If you chose a file, check that it was made for this exact model. The model is shown on the device page."),
	/* TRANSLATORS: remediation card “firmware-invalid”, step 3 of 4 */
	N_("If Unbrick downloaded it, delete it in Preferences under Storage, so that it is downloaded again."),
	/* TRANSLATORS: remediation card “firmware-invalid”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “engine-outdated”, title */
	N_("The restore tool is too old for this device"),
	/* TRANSLATORS: remediation card “engine-outdated”, what it means */
	N_("The installed idevicerestore does not know this device or this iOS version. Newer iPhones and iOS versions need a newer restore tool."),
	/* TRANSLATORS: remediation card “engine-outdated”, step 1 of 4 */
	N_("Open Preferences and look under Restore Tool. It shows which idevicerestore Unbrick uses and the newest models it can restore."),
	/* TRANSLATORS: remediation card “engine-outdated”, step 2 of 4 */
	N_("Install newer versions of idevicerestore, libirecovery and libimobiledevice. Distribution packages are often years behind; the libimobiledevice project explains how to build current ones."),
	/* TRANSLATORS: remediation card “engine-outdated”, step 3 of 4 */
	N_("If you built it yourself, choose that program in Preferences under Restore Tool."),
	/* TRANSLATORS: remediation card “engine-outdated”, step 4 of 4 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “engine-outdated”, what to try when the steps did not help */
	N_("Until then, another computer can restore the device with Apple’s own tools: Finder on a Mac, or Apple Devices on Windows."),
	/* TRANSLATORS: remediation card “engine-missing”, title */
	N_("The restore tool isn’t installed"),
	/* TRANSLATORS: remediation card “engine-missing”, what it means */
	N_("Unbrick uses idevicerestore to restore devices and could not find it."),
	/* TRANSLATORS: remediation card “engine-missing”, step 1 of 3; keep commands and file names as they are */
	N_("Install it. On Debian or Ubuntu, run: sudo apt install idevicerestore"),
	/* TRANSLATORS: remediation card “engine-missing”, step 2 of 3 */
	N_("If it is installed somewhere else, choose the program in Preferences under Restore Tool."),
	/* TRANSLATORS: remediation card “engine-missing”, step 3 of 3 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “engine-missing”, what to try when the steps did not help */
	N_("Packaged versions may be too old for recent devices. Preferences, under Restore Tool, shows what the installed one can restore."),
	/* TRANSLATORS: remediation card “personalization”, title */
	N_("The device refused the prepared files"),
	/* TRANSLATORS: remediation card “personalization”, what it means */
	N_("The device did not start the files made for it. Starting again from a clean Recovery or DFU mode usually fixes this."),
	/* TRANSLATORS: remediation card “personalization”, step 1 of 4 */
	N_("Force restart the device. Unbrick’s guide shows which buttons to press."),
	/* TRANSLATORS: remediation card “personalization”, step 2 of 4 */
	N_("Connect it with a cable that carries data, to a port on the computer itself."),
	/* TRANSLATORS: remediation card “personalization”, step 3 of 4 */
	N_("Put it into DFU mode with Unbrick’s guide, and restore from there."),
	/* TRANSLATORS: remediation card “personalization”, step 4 of 4 */
	N_("If the restore tool is old, update it first. Old versions often fail at this step."),
	/* TRANSLATORS: remediation card “personalization”, what to try when the steps did not help */
	N_("If it fails at the same step in DFU mode too, try another computer."),
	/* TRANSLATORS: remediation card “stalled”, title */
	N_("The restore seems stuck"),
	/* TRANSLATORS: remediation card “stalled”, what it means */
	N_("Nothing has changed for half an hour. Some steps are slow, but a restore that shows no progress for this long won’t finish."),
	/* TRANSLATORS: remediation card “stalled”, step 1 of 3 */
	N_("Stop the restore in Unbrick."),
	/* TRANSLATORS: remediation card “stalled”, step 2 of 3 */
	N_("Force restart the device. Unbrick’s guide shows which buttons to press."),
	/* TRANSLATORS: remediation card “stalled”, step 3 of 3 */
	N_("Put it into DFU mode with the guide and try again."),
	/* TRANSLATORS: remediation card “stalled”, what to try when the steps did not help */
	N_("If it stops at the same point again, try another cable and port, then another computer."),
	/* TRANSLATORS: remediation card “repeated-failure”, title */
	N_("The same error came back"),
	/* TRANSLATORS: remediation card “repeated-failure”, what it means */
	N_("The restore failed the same way twice. Trying again the same way rarely helps; a Restore from DFU mode starts from the deepest level."),
	/* TRANSLATORS: remediation card “repeated-failure”, step 1 of 3 */
	N_("Try a different cable and a port on the computer itself, if you haven’t yet."),
	/* TRANSLATORS: remediation card “repeated-failure”, step 2 of 3 */
	N_("Put the device into DFU mode with Unbrick’s guide."),
	/* TRANSLATORS: remediation card “repeated-failure”, step 3 of 3 */
	N_("Restore it from there. This erases everything on the device."),
	/* TRANSLATORS: remediation card “repeated-failure”, what to try when the steps did not help */
	N_("If it fails in DFU mode too, try another computer."),
	/* TRANSLATORS: remediation card “dfu-restore”, title */
	N_("Restore in DFU mode"),
	/* TRANSLATORS: remediation card “dfu-restore”, what it means */
	N_("DFU mode is the deepest recovery mode; the screen stays black. A Restore from DFU mode can fix problems that Recovery Mode can’t, and it erases everything on the device."),
	/* TRANSLATORS: remediation card “dfu-restore”, step 1 of 4 */
	N_("If the device still starts, back it up first."),
	/* TRANSLATORS: remediation card “dfu-restore”, step 2 of 4 */
	N_("Connect it with a cable that carries data, to a port on the computer itself."),
	/* TRANSLATORS: remediation card “dfu-restore”, step 3 of 4 */
	N_("Follow Unbrick’s guide to press the buttons. When it works, the screen stays black; that is right."),
	/* TRANSLATORS: remediation card “dfu-restore”, step 4 of 4 */
	N_("Choose Restore. It erases everything and installs the newest iOS that Apple signs."),
	/* TRANSLATORS: remediation card “dfu-restore”, what to try when the steps did not help */
	N_("If the device doesn’t show up in DFU mode, follow the guide again. The timing often takes a few tries."),
	/* TRANSLATORS: remediation card “on-battery”, title */
	N_("Plug in the laptop"),
	/* TRANSLATORS: remediation card “on-battery”, what it means */
	N_("A restore can take up to an hour. If the laptop goes to sleep or its battery runs out, the restore stops halfway."),
	/* TRANSLATORS: remediation card “on-battery”, step 1 of 3 */
	N_("Connect the laptop to power before you start."),
	/* TRANSLATORS: remediation card “on-battery”, step 2 of 3 */
	N_("Keep the lid open, so that the laptop doesn’t go to sleep."),
	/* TRANSLATORS: remediation card “on-battery”, step 3 of 3 */
	N_("Then start the restore."),
	/* TRANSLATORS: remediation card “backup”, title */
	N_("Back up first"),
	/* TRANSLATORS: remediation card “backup”, what it means */
	N_("A Restore erases everything on the device. An Update keeps your photos, messages and apps, but only a backup keeps them safe if anything goes wrong."),
	/* TRANSLATORS: remediation card “backup”, step 1 of 4 */
	N_("If the device still starts, back it up before anything else."),
	/* TRANSLATORS: remediation card “backup”, step 2 of 4 */
	N_("For iCloud, open Settings on the device, tap your name, then iCloud, then iCloud Backup, and tap Back Up Now."),
	/* TRANSLATORS: remediation card “backup”, step 3 of 4; keep commands and file names as they are */
	N_("To keep the backup on this computer instead, unlock the device, tap Trust if asked, and run: sudo apt install libimobiledevice-utils && mkdir -p ~/iPhone-Backup && idevicebackup2 backup --full ~/iPhone-Backup"),
	/* TRANSLATORS: remediation card “backup”, step 4 of 4 */
	N_("If the device doesn’t start any more, it can’t be backed up. Try an Update first: it keeps your data."),
	/* TRANSLATORS: remediation card “fdr”, title */
	N_("The device couldn’t recover its factory data"),
	/* TRANSLATORS: remediation card “fdr”, what it means */
	N_("Near the end, the device asks Apple for its factory data through this computer, and that failed. A network problem is the usual reason; sometimes it is the hardware."),
	/* TRANSLATORS: remediation card “fdr”, step 1 of 3 */
	N_("Check that this computer is online."),
	/* TRANSLATORS: remediation card “fdr”, step 2 of 3 */
	N_("Turn off a VPN or a proxy. This step doesn’t work through a proxy."),
	/* TRANSLATORS: remediation card “fdr”, step 3 of 3 */
	N_("Try again."),
	/* TRANSLATORS: remediation card “fdr”, what to try when the steps did not help */
	N_("If it keeps failing while the network works, the device may need service."),
	/* TRANSLATORS: remediation card “baseband”, title */
	N_("The cellular modem couldn’t be updated"),
	/* TRANSLATORS: remediation card “baseband”, what it means */
	N_("The device could not update the part that handles calls and mobile data. Trying again sometimes works; if it keeps failing it is usually a hardware problem."),
	/* TRANSLATORS: remediation card “baseband”, step 1 of 3 */
	N_("Try once more, with a cable that carries data and a port on the computer itself."),
	/* TRANSLATORS: remediation card “baseband”, step 2 of 3 */
	N_("If that fails, try a Restore from DFU mode."),
	/* TRANSLATORS: remediation card “baseband”, step 3 of 3 */
	N_("Save the log. A repair shop can read it."),
	/* TRANSLATORS: remediation card “baseband”, what to try when the steps did not help */
	N_("If it fails again, the modem probably needs repair. Apple or an authorised service provider can check it."),
	/* TRANSLATORS: remediation card “storage”, title */
	N_("The device’s storage reported a problem"),
	/* TRANSLATORS: remediation card “storage”, what it means */
	N_("The device could not prepare or check its internal storage. This can pass, but if it happens again the storage is probably failing."),
	/* TRANSLATORS: remediation card “storage”, step 1 of 2 */
	N_("Try a Restore from DFU mode. It erases the storage and sets it up again."),
	/* TRANSLATORS: remediation card “storage”, step 2 of 2 */
	N_("Save the log. A repair shop can read it."),
	/* TRANSLATORS: remediation card “storage”, what to try when the steps did not help */
	N_("If it fails the same way again, the storage needs repair. Apple or an authorised service provider can check it."),
	/* TRANSLATORS: remediation card “hardware”, title */
	N_("The device may have a hardware problem"),
	/* TRANSLATORS: remediation card “hardware”, what it means */
	N_("Some errors come from parts inside the device, such as its storage, its modem or Touch ID. Security software on the computer can cause the same errors, so one more try is worth it."),
	/* TRANSLATORS: remediation card “hardware”, step 1 of 3 */
	N_("Save the log, so that a repair shop can see what happened."),
	/* TRANSLATORS: remediation card “hardware”, step 2 of 3; keep commands and file names as they are */
	N_("Check that no security software or line in /etc/hosts blocks Apple’s servers."),
	/* TRANSLATORS: remediation card “hardware”, step 3 of 3 */
	N_("Try once more on another computer."),
	/* TRANSLATORS: remediation card “hardware”, what to try when the steps did not help */
	N_("If it fails on another computer too, take the device and the saved log to Apple or an authorised service provider."),
	/* TRANSLATORS: remediation card “other-computer”, title */
	N_("Try another computer"),
	/* TRANSLATORS: remediation card “other-computer”, what it means */
	N_("Some problems come from one particular computer: its USB ports, its system or its network. Trying another one shows whether the problem is the device."),
	/* TRANSLATORS: remediation card “other-computer”, step 1 of 4 */
	N_("Use a computer with different USB hardware if you can, such as another laptop."),
	/* TRANSLATORS: remediation card “other-computer”, step 2 of 4 */
	N_("On a Mac, use Finder; on Windows, the Apple Devices app; on another Linux computer, Unbrick."),
	/* TRANSLATORS: remediation card “other-computer”, step 3 of 4 */
	N_("Take a cable you know carries data."),
	/* TRANSLATORS: remediation card “other-computer”, step 4 of 4 */
	N_("Put the device into Recovery Mode or DFU mode and restore it there."),
	/* TRANSLATORS: remediation card “other-computer”, what to try when the steps did not help */
	N_("If it fails on another computer too, the device probably needs service."),
	/* TRANSLATORS: remediation card “apple-service”, title */
	N_("Get the device repaired"),
	/* TRANSLATORS: remediation card “apple-service”, what it means */
	N_("When a restore fails on more than one computer, a part inside the device is usually the cause. Apple and authorised service providers can test it."),
	/* TRANSLATORS: remediation card “apple-service”, step 1 of 3 */
	N_("Save the log in Unbrick and take it with you. It shows where the restore stopped."),
	/* TRANSLATORS: remediation card “apple-service”, step 2 of 3 */
	N_("Contact Apple Support at support.apple.com/repair, or find an authorised service provider near you."),
	/* TRANSLATORS: remediation card “apple-service”, step 3 of 3 */
	N_("Tell them which steps you already tried, so that they don’t repeat them."),
	/* TRANSLATORS: remediation card “apple-service”, button that opens Apple’s page on it */
	N_("Apple Support: Repair"),
	/* TRANSLATORS: remediation card “cancelled”, title */
	N_("The restore was stopped"),
	/* TRANSLATORS: remediation card “cancelled”, what it means */
	N_("The restore was stopped before it finished. The device may be in Recovery Mode now; starting again is safe."),
	/* TRANSLATORS: remediation card “cancelled”, step 1 of 3 */
	N_("Keep the device connected."),
	/* TRANSLATORS: remediation card “cancelled”, step 2 of 3 */
	N_("Start again when you are ready. An Update keeps your data."),
	/* TRANSLATORS: remediation card “cancelled”, step 3 of 3 */
	N_("If the device shows a cable and a computer on its screen, it is in Recovery Mode, and Unbrick can restore it from there."),
	/* TRANSLATORS: remediation card “unknown”, title */
	N_("The restore didn’t finish"),
	/* TRANSLATORS: remediation card “unknown”, what it means */
	N_("The restore stopped without saying why. The saved log may tell more."),
	/* TRANSLATORS: remediation card “unknown”, step 1 of 4 */
	N_("Save the log."),
	/* TRANSLATORS: remediation card “unknown”, step 2 of 4 */
	N_("Check the cable, and use a port on the computer itself."),
	/* TRANSLATORS: remediation card “unknown”, step 3 of 4 */
	N_("Try again. An Update keeps your data; a Restore erases it."),
	/* TRANSLATORS: remediation card “unknown”, step 4 of 4 */
	N_("To see where it stopped, open the saved log with Explain a Restore Log in Unbrick’s main menu."),
	/* TRANSLATORS: remediation card “unknown”, what to try when the steps did not help */
	N_("If it fails again, try a Restore from DFU mode."),
};
/* clang-format on */
