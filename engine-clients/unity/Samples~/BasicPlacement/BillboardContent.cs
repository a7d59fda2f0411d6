using UnityEngine;
using Vitrine.Unity;
using Vitrine.V1;

namespace Vitrine.Samples
{
    /// <summary>
    /// Tints a billboard with the colour of the creative Vitrine chose and reports a click on it.
    /// Put it next to a PlacementSlot on a Quad with a collider.
    /// </summary>
    [RequireComponent(typeof(PlacementSlot))]
    public sealed class BillboardContent : MonoBehaviour
    {
        private PlacementSlot _slot;

        private void Awake()
        {
            _slot = GetComponent<PlacementSlot>();
            _slot.ContentChosen += Show;
        }

        private void OnDestroy()
        {
            _slot.ContentChosen -= Show;
        }

        // Needs a collider on the billboard; with the Input System package use its pointer events instead.
        private void OnMouseDown()
        {
            _slot.ReportInteraction(InteractionKind.Click);
        }

        private void Show(Decision decision)
        {
            RankedItem shown = decision.Items[0];
            if (shown.Creative != null && ColorUtility.TryParseHtmlString(shown.Creative.Color, out Color color))
            {
                GetComponent<Renderer>().material.color = color;
            }

            Debug.Log("[Vitrine] " + _slot.PlacementId + " shows " + shown.ItemId + " (" + shown.Brand + ")");
        }
    }
}
